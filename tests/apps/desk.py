"""A help desk back-end with the markup of Django's admin: a change list, add/change forms, messages, history.

Record ids are small integers from 1, option values are database keys, and the success message quotes
what was typed, as in the real thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .server import App, Request, Response, html_page

__all__ = ["PRIORITIES", "USERS", "Desk", "Ticket"]

PRIORITIES = {"1": "Low", "2": "Normal", "3": "High"}
USERS = {"4": "alice", "7": "bob", "9": "carol"}


@dataclass
class Ticket:
    id: int
    title: str
    priority: str  # a key of PRIORITIES
    assignee: str  # a key of USERS
    history: list[str] = field(default_factory=list)


class Desk(App):
    def __init__(self) -> None:
        super().__init__()
        self.tickets: dict[int, Ticket] = {}
        self.next_id = 1
        self.message = ""
        self.route("GET", r"/admin/desk/ticket/")(self.changelist)
        self.route("GET", r"/admin/desk/ticket/add/")(self.add_form)
        self.route("POST", r"/admin/desk/ticket/add/")(self.add)
        self.route("GET", r"/admin/desk/ticket/(\d+)/change/")(self.change_form)
        self.route("POST", r"/admin/desk/ticket/(\d+)/change/")(self.change)
        self.route("GET", r"/admin/desk/ticket/(\d+)/history/")(self.history)

    def add_ticket(self, title: str, priority: str = "2", assignee: str = "4") -> Ticket:
        ticket = Ticket(self.next_id, title, priority, assignee, ["Added."])
        self.tickets[ticket.id] = ticket
        self.next_id += 1
        return ticket

    # --- pages -----------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: str, content: str) -> Response:
        messages = ""
        if self.message:
            messages = f'<ul class="messagelist"><li class="success">{self.message}</li></ul>'
            self.message = ""
        body = (
            '<div id="container"><div id="header"><div id="branding"><h1 id="site-name">'
            '<a href="/admin/">Help desk administration</a></h1></div></div>'
            f'<nav aria-label="Breadcrumbs"><div class="breadcrumbs"><a href="/admin/">Home</a> › {crumbs}</div></nav>'
            f'<main id="content-start" class="content"><div class="main" id="main">{messages}'
            f'<div id="content" class="colM">{content}</div></div></main></div>'
        )
        return html_page(title, body)

    def changelist(self, request: Request) -> Response:
        rows = "".join(
            f'<tr><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="{t.id}"'
            f' class="action-select" aria-label="Select this object for an action - {escape(t.title)}"></td>'
            f'<th class="field-title"><a href="/admin/desk/ticket/{t.id}/change/">{escape(t.title)}</a></th>'
            f'<td class="field-priority">{PRIORITIES[t.priority]}</td><td class="field-assignee">{USERS[t.assignee]}</td></tr>'
            for t in self.tickets.values()
        )
        content = (
            "<h1>Select ticket to change</h1>"
            '<div id="content-main"><ul class="object-tools"><li>'
            '<a href="/admin/desk/ticket/add/" class="addlink">Add ticket</a></li></ul>'
            '<div class="module" id="changelist"><div class="changelist-form-container">'
            '<form id="changelist-form" method="post"><div class="results"><table id="result_list">'
            '<thead><tr><th scope="col" class="action-checkbox-column"></th><th scope="col" class="column-title">Title</th>'
            '<th scope="col">Priority</th><th scope="col">Assignee</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
            f'<p class="paginator">{len(self.tickets)} tickets</p></form></div></div></div>'
        )
        return self._page("Select ticket to change | Help desk", "Tickets", content)

    def _form(self, ticket: Ticket | None, action: str) -> str:
        def options(choices: dict[str, str], chosen: str) -> str:
            blank = '<option value="">---------</option>'
            return blank + "".join(
                f'<option value="{k}"{" selected" if k == chosen else ""}>{v}</option>' for k, v in choices.items()
            )

        title = escape(ticket.title) if ticket else ""
        history = ""
        if ticket is not None:
            history = (
                '<ul class="object-tools"><li>'
                f'<a href="/admin/desk/ticket/{ticket.id}/history/" class="historylink">History</a></li></ul>'
            )
        return (
            f'{history}<form method="post" id="ticket_form" action="{action}" novalidate><div>'
            '<fieldset class="module aligned">'
            '<div class="form-row field-title"><div><label class="required" for="id_title">Title:</label>'
            f'<input type="text" name="title" value="{title}" class="vTextField" maxlength="200" required id="id_title">'
            "</div></div>"
            '<div class="form-row field-priority"><div><label class="required" for="id_priority">Priority:</label>'
            f'<select name="priority" required id="id_priority">{options(PRIORITIES, ticket.priority if ticket else "")}'
            "</select></div></div>"
            '<div class="form-row field-assignee"><div><label for="id_assignee">Assignee:</label>'
            f'<select name="assignee" id="id_assignee">{options(USERS, ticket.assignee if ticket else "")}</select>'
            "</div></div></fieldset>"
            '<div class="submit-row"><input type="submit" value="Save" class="default" name="_save">'
            '<input type="submit" value="Save and add another" name="_addanother">'
            '<input type="submit" value="Save and continue editing" name="_continue"></div></div></form>'
        )

    def add_form(self, request: Request) -> Response:
        crumbs = '<a href="/admin/desk/ticket/">Tickets</a> › Add ticket'
        return self._page("Add ticket | Help desk", crumbs, "<h1>Add ticket</h1>" + self._form(None, ""))

    def add(self, request: Request) -> Response:
        ticket = self.add_ticket(request.field("title"), request.field("priority"), request.field("assignee") or "4")
        link = f'<a href="/admin/desk/ticket/{ticket.id}/change/">{escape(ticket.title)}</a>'
        if request.field("_continue"):
            self.message = f"The ticket “{link}” was added successfully. You may edit it again below."
            return Response.redirect(f"/admin/desk/ticket/{ticket.id}/change/")
        self.message = f"The ticket “{link}” was added successfully."
        return Response.redirect("/admin/desk/ticket/")

    def change_form(self, request: Request) -> Response:
        ticket = self.tickets[int(request.match.group(1))]
        crumbs = f'<a href="/admin/desk/ticket/">Tickets</a> › {escape(ticket.title)}'
        return self._page(f"{escape(ticket.title)} | Change ticket", crumbs, "<h1>Change ticket</h1>" + self._form(ticket, ""))

    def change(self, request: Request) -> Response:
        ticket = self.tickets[int(request.match.group(1))]
        ticket.title = request.field("title")
        ticket.priority = request.field("priority")
        ticket.assignee = request.field("assignee") or ticket.assignee
        ticket.history.append("Changed.")
        self.message = f"The ticket “{escape(ticket.title)}” was changed successfully."
        return Response.redirect("/admin/desk/ticket/")

    def history(self, request: Request) -> Response:
        ticket = self.tickets[int(request.match.group(1))]
        crumbs = (
            f'<a href="/admin/desk/ticket/">Tickets</a> › '
            f'<a href="/admin/desk/ticket/{ticket.id}/change/">{escape(ticket.title)}</a> › History'
        )
        rows = "".join(f"<tr><td>{escape(h)}</td></tr>" for h in ticket.history)
        content = (
            f"<h1>Change history: {escape(ticket.title)}</h1>"
            f'<div id="content-main"><div class="module"><table id="change-history"><tbody>{rows}</tbody></table>'
            "</div></div>"
        )
        return self._page("Change history", crumbs, content)
