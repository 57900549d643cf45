"""A hash-routed single-page todo list in the TodoMVC mould, backed by a JSON API (ids from the server).

Routes: `#/` the list, `#/items/<id>` one item. The footer counts what is left and offers
"Clear completed (N)".
"""

from __future__ import annotations

from dataclasses import dataclass

from .server import App, Request, Response, html_page

__all__ = ["Todo", "Todos"]

_SCRIPT = r"""
const api = (path, body) => fetch(path, body === undefined ? {} :
  { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
const app = document.querySelector(".todoapp");
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
async function render() {
  const todos = await api("/api/todos");
  const route = location.hash.replace(/^#/, "") || "/";
  const item = route.match(/^\/items\/(\d+)$/);
  const main = app.querySelector(".main");
  if (item) {
    const todo = todos.find((t) => String(t.id) === item[1]);
    main.innerHTML = todo ? `<section class="detail"><h2>Item ${todo.id}</h2><p class="title">${esc(todo.title)}</p>
      <button class="mark">${todo.done ? "Mark not done" : "Mark done"}</button> <a href="#/">Back to the list</a></section>`
      : "<p>No such item</p>";
    if (todo) main.querySelector(".mark").onclick = async () => { await api(`/api/todos/${todo.id}`, { done: !todo.done }); render(); };
  } else {
    main.innerHTML = `<ul class="todo-list">${todos.map((t) => `<li class="${t.done ? "completed" : ""}">
      <a href="#/items/${t.id}">${esc(t.title)}</a></li>`).join("")}</ul>`;
  }
  const left = todos.filter((t) => !t.done).length, done = todos.length - left;
  app.querySelector(".footer").innerHTML = `<span class="todo-count"><strong>${left}</strong> ${left === 1 ? "item" : "items"} left</span>`
    + (done ? ` <button class="clear-completed">Clear completed (${done})</button>` : "");
  const clear = app.querySelector(".clear-completed");
  if (clear) clear.onclick = async () => { await api("/api/todos/clear-completed", {}); render(); };
}
app.querySelector(".new-todo").addEventListener("keydown", async (event) => {
  if (event.key !== "Enter" || !event.target.value.trim()) return;
  await api("/api/todos", { title: event.target.value.trim() });
  event.target.value = "";
  render();
});
window.addEventListener("hashchange", render);
render();
"""


@dataclass
class Todo:
    id: int
    title: str
    done: bool = False


class Todos(App):
    def __init__(self) -> None:
        super().__init__()
        self.todos: dict[int, Todo] = {}
        self.next_id = 1
        self.route("GET", r"/todos/")(self.page)
        self.route("GET", r"/api/todos")(self.list)
        self.route("POST", r"/api/todos")(self.create)
        self.route("POST", r"/api/todos/(\d+)")(self.update)
        self.route("POST", r"/api/todos/clear-completed")(self.clear)

    def add(self, title: str, done: bool = False) -> Todo:
        todo = Todo(self.next_id, title, done)
        self.todos[todo.id] = todo
        self.next_id += 1
        return todo

    def page(self, request: Request) -> Response:
        body = (
            '<section class="todoapp"><header class="header"><h1>todos</h1>'
            '<input class="new-todo" placeholder="What needs to be done?" autofocus></header>'
            '<section class="main"></section><footer class="footer"></footer></section>'
            f"<script>{_SCRIPT}</script>"
        )
        return html_page("Todos", body)

    def list(self, request: Request) -> Response:
        return Response.json_body([vars(t) for t in self.todos.values()])

    def create(self, request: Request) -> Response:
        return Response.json_body(vars(self.add(str(request.json["title"]))))

    def update(self, request: Request) -> Response:
        todo = self.todos[int(request.match.group(1))]
        todo.done = bool(request.json["done"])
        return Response.json_body(vars(todo))

    def clear(self, request: Request) -> Response:
        self.todos = {k: t for k, t in self.todos.items() if not t.done}
        return Response.json_body({"ok": True})
