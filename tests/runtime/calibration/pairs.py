"""Pages of real applications in two releases, rendered, and element pairs taken from them.

Each case is the markup an application renders for one screen, before and after a release, trimmed to
what surrounds the elements (the structure, ids, names, classes and attributes are the releases' own).
A pair names an element in the earlier page (the one a recording would fingerprint) and an element in
the later page, and says whether they are the same element. Different-element pairs are the ones a
replay could be fooled by: siblings in the same list or form, and decoys with the same words elsewhere.
A pair marked `changed` is the same element whose words ("words") or form action ("form") the
release changed: by design a mismatch (a heal decides), counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CASES", "Case", "Pair", "changed", "other", "same"]


@dataclass(frozen=True)
class Pair:
    recorded: str
    """CSS selector of the recorded element in `before`."""
    live: str
    """CSS selector of the element in `after`."""
    same: bool
    changed: str | None = None
    """"words" or "form": the release changed what the element says or where it posts."""


@dataclass(frozen=True)
class Case:
    name: str
    before: str
    after: str
    pairs: tuple[Pair, ...]


def same(recorded: str, live: str | None = None) -> Pair:
    return Pair(recorded, live or recorded, True)


def other(recorded: str, live: str) -> Pair:
    return Pair(recorded, live, False)


def changed(kind: str, recorded: str, live: str | None = None) -> Pair:
    return Pair(recorded, live or recorded, True, changed=kind)


CASES = (
    Case(
        "Django admin login, 1.0 -> 4.2",
        before="""<div id="container"><div id="content" class="colM"><div id="content-main">
<form action="/admin/" method="post" id="login-form">
  <div class="form-row"><label for="id_username">Username:</label> <input type="text" name="username" id="id_username" /></div>
  <div class="form-row"><label for="id_password">Password:</label> <input type="password" name="password" id="id_password" />
    <input type="hidden" name="this_is_the_login_form" value="1" /></div>
  <div class="submit-row"><label>&nbsp;</label><input type="submit" value="Log in" /></div>
</form></div></div></div>""",
        after="""<div id="container"><main id="content-start" class="content" tabindex="-1"><div id="content" class="colM"><div id="content-main">
<form action="/admin/login/?next=/admin/" method="post" id="login-form"><input type="hidden" name="csrfmiddlewaretoken" value="x">
  <div class="form-row"><label for="id_username" class="required">Username:</label> <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150" required id="id_username"></div>
  <div class="form-row"><label for="id_password" class="required">Password:</label> <input type="password" name="password" autocomplete="current-password" required id="id_password">
    <input type="hidden" name="next" value="/admin/"></div>
  <div class="password-reset-link"><a href="/admin/password_reset/">Forgotten your password or username?</a></div>
  <div class="submit-row"><input type="submit" value="Log in"></div>
</form></div></div></main></div>""",
        pairs=(
            # 4.2 posts the login form to /admin/login/ instead of /admin/.
            changed("form", "#id_username"),
            changed("form", "#id_password"),
            changed("form", "#login-form input[type=submit]"),
            other("#id_username", "#id_password"),
            other("#id_password", "#id_username"),
            other("#login-form input[type=submit]", ".password-reset-link a"),
        ),
    ),
    Case(
        "Django admin change form submit row, 1.11 -> 4.2",
        before="""<form enctype="multipart/form-data" action="" method="post" id="user_form"><div>
<fieldset class="module aligned"><div class="form-row field-username"><div><label class="required" for="id_username">Username:</label>
<input type="text" name="username" value="alice" class="vTextField" maxlength="150" required id="id_username" /></div></div></fieldset>
<div class="submit-row">
<input type="submit" value="Save" class="default" name="_save" />
<p class="deletelink-box"><a href="/admin/auth/user/7/delete/" class="deletelink">Delete</a></p>
<input type="submit" value="Save and add another" name="_addanother" />
<input type="submit" value="Save and continue editing" name="_continue" />
</div></div></form>""",
        after="""<form enctype="multipart/form-data" method="post" id="user_form" novalidate><input type="hidden" name="csrfmiddlewaretoken" value="x"><div>
<fieldset class="module aligned"><div class="form-row field-username"><div><div class="flex-container"><label class="required" for="id_username">Username:</label>
<input type="text" name="username" value="alice" class="vTextField" maxlength="150" required aria-describedby="id_username_helptext" id="id_username"></div>
<div class="help" id="id_username_helptext"><div>Required. 150 characters or fewer.</div></div></div></div></fieldset>
<div class="submit-row">
<input type="submit" value="Save" class="default" name="_save">
<input type="submit" value="Save and add another" name="_addanother">
<input type="submit" value="Save and continue editing" name="_continue">
<a href="/admin/auth/user/7/delete/" class="deletelink">Delete</a>
</div></div></form>""",
        pairs=(
            same("#id_username"),
            same("input[name=_save]"),
            same("input[name=_continue]"),
            same("a.deletelink"),
            other("input[name=_save]", "input[name=_addanother]"),
            other("input[name=_save]", "input[name=_continue]"),
            other("input[name=_continue]", "input[name=_addanother]"),
            other("a.deletelink", "input[name=_save]"),
        ),
    ),
    Case(
        "Django admin change list with row checkboxes, 2.2 -> 4.2",
        before="""<form id="changelist-form" method="post" novalidate><div class="actions"><label>Action: <select name="action" required>
<option value="" selected>---------</option><option value="delete_selected">Delete selected users</option></select></label>
<button type="submit" class="button" title="Run the selected action" name="index" value="0">Go</button></div>
<div class="results"><table id="result_list"><thead><tr><th scope="col" class="action-checkbox-column"><div class="text"><span><input type="checkbox" id="action-toggle"></span></div></th>
<th scope="col" class="sortable column-username"><div class="text"><a href="?o=1">Username</a></div></th></tr></thead><tbody>
<tr class="row1"><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="3" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/3/change/">alice</a></th></tr>
<tr class="row2"><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="5" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/5/change/">bob</a></th></tr>
<tr class="row1"><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="8" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/8/change/">carol</a></th></tr>
</tbody></table></div></form>""",
        after="""<form id="changelist-form" method="post" novalidate><input type="hidden" name="csrfmiddlewaretoken" value="x"><div class="actions"><label>Action: <select name="action" required>
<option value="" selected>---------</option><option value="delete_selected">Delete selected users</option></select></label>
<input type="hidden" name="select_across" value="0" class="select-across">
<button type="submit" class="button" title="Run the selected action" name="index" value="0">Go</button>
<span class="action-counter" data-actions-icnt="3">0 of 3 selected</span></div>
<div class="results"><table id="result_list"><thead><tr><th scope="col" class="action-checkbox-column"><div class="text"><span><input type="checkbox" id="action-toggle" aria-label="Select all objects on this page for an action"></span></div></th>
<th scope="col" class="sortable column-username"><div class="text"><a href="?o=1">Username</a></div></th></tr></thead><tbody>
<tr><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="3" aria-label="Select this object for an action - alice" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/3/change/">alice</a></th></tr>
<tr><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="5" aria-label="Select this object for an action - bob" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/5/change/">bob</a></th></tr>
<tr><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="8" aria-label="Select this object for an action - carol" class="action-select"></td><th class="field-username"><a href="/admin/auth/user/8/change/">carol</a></th></tr>
</tbody></table></div></form>""",
        pairs=(
            same("input[value='5']"),
            same("a[href*='/5/']"),
            same("button[name=index]"),
            same("select[name=action]"),
            other("input[value='5']", "input[value='3']"),
            other("input[value='5']", "input[value='8']"),
            other("a[href*='/5/']", "a[href*='/3/']"),
            other("a[href*='/5/']", "a[href*='/8/']"),
        ),
    ),
    Case(
        "TodoMVC, Backbone -> React (with test ids)",
        before="""<section class="todoapp"><header class="header"><h1>todos</h1><input class="new-todo" placeholder="What needs to be done?" autofocus></header>
<section class="main"><input id="toggle-all" class="toggle-all" type="checkbox"><label for="toggle-all">Mark all as complete</label>
<ul class="todo-list">
<li><div class="view"><input class="toggle" type="checkbox"><label>Buy milk</label><button class="destroy"></button></div><input class="edit" value="Buy milk"></li>
<li><div class="view"><input class="toggle" type="checkbox"><label>Walk the dog</label><button class="destroy"></button></div><input class="edit" value="Walk the dog"></li>
<li><div class="view"><input class="toggle" type="checkbox"><label>Pay rent</label><button class="destroy"></button></div><input class="edit" value="Pay rent"></li>
</ul></section><footer class="footer"><span class="todo-count"><strong>3</strong> items left</span>
<button class="clear-completed">Clear completed</button></footer></section>""",
        after="""<section class="todoapp" id="root"><header class="header" data-testid="header"><h1>todos</h1><div class="input-container"><input class="new-todo" id="todo-input" type="text" data-testid="text-input" placeholder="What needs to be done?" value=""><label class="visually-hidden" for="todo-input">New Todo Input</label></div></header>
<main class="main" data-testid="main"><div class="toggle-all-container"><input class="toggle-all" type="checkbox" id="toggle-all" data-testid="toggle-all"><label class="toggle-all-label" for="toggle-all">Toggle All Input</label></div>
<ul class="todo-list" data-testid="todo-list">
<li class="" data-testid="todo-item"><div class="view"><input class="toggle" type="checkbox" data-testid="todo-item-toggle"><label data-testid="todo-item-label">Pay rent</label><button class="destroy" data-testid="todo-item-button"></button></div></li>
<li class="" data-testid="todo-item"><div class="view"><input class="toggle" type="checkbox" data-testid="todo-item-toggle"><label data-testid="todo-item-label">Walk the dog</label><button class="destroy" data-testid="todo-item-button"></button></div></li>
<li class="" data-testid="todo-item"><div class="view"><input class="toggle" type="checkbox" data-testid="todo-item-toggle"><label data-testid="todo-item-label">Buy milk</label><button class="destroy" data-testid="todo-item-button"></button></div></li>
</ul></main><footer class="footer" data-testid="footer"><span class="todo-count">3 items left!</span>
<button class="clear-completed">Clear completed</button></footer></section>""",
        pairs=(
            same("li:nth-child(2) .toggle", "li:nth-child(2) .toggle"),
            same("li:nth-child(3) .toggle", "li:nth-child(1) .toggle"),
            same("li:nth-child(2) .destroy", "li:nth-child(2) .destroy"),
            same(".new-todo"),
            same(".clear-completed"),
            other("li:nth-child(2) .toggle", "li:nth-child(1) .toggle"),
            other("li:nth-child(2) .toggle", "li:nth-child(3) .toggle"),
            other("li:nth-child(3) .toggle", "li:nth-child(3) .toggle"),
            other("li:nth-child(2) .destroy", "li:nth-child(3) .destroy"),
            other("li:nth-child(2) .toggle", ".toggle-all"),
        ),
    ),
    Case(
        "Flask-Admin list view, Bootstrap 3 -> Bootstrap 4 templates",
        before="""<div class="container"><table class="table table-striped table-bordered table-hover model-list"><thead><tr><th class="list-checkbox-column"><input type="checkbox" name="rowtoggle" class="action-rowtoggle" title="Select all records" /></th><th class="col-md-1">&nbsp;</th><th class="column-header col-name"><a href="/admin/user/?sort=0" title="Sort by Name">Name</a></th></tr></thead>
<tr><td><input type="checkbox" name="rowid" class="action-checkbox" value="1" title="Select record" /></td><td class="list-buttons-column">
<a class="icon" href="/admin/user/edit/?id=1&amp;url=%2Fadmin%2Fuser%2F" title="Edit Record"><span class="fa fa-pencil glyphicon glyphicon-pencil"></span></a>
<form class="icon" method="POST" action="/admin/user/delete/"><input id="id" name="id" type="hidden" value="1"><input id="url" name="url" type="hidden" value="/admin/user/"><button onclick="return faHelpers.safeConfirm('Are you sure you want to delete this record?');" title="Delete record"><span class="fa fa-trash glyphicon glyphicon-trash"></span></button></form>
</td><td class="col-name">Ada</td></tr>
<tr><td><input type="checkbox" name="rowid" class="action-checkbox" value="2" title="Select record" /></td><td class="list-buttons-column">
<a class="icon" href="/admin/user/edit/?id=2&amp;url=%2Fadmin%2Fuser%2F" title="Edit Record"><span class="fa fa-pencil glyphicon glyphicon-pencil"></span></a>
<form class="icon" method="POST" action="/admin/user/delete/"><input id="id" name="id" type="hidden" value="2"><input id="url" name="url" type="hidden" value="/admin/user/"><button onclick="return faHelpers.safeConfirm('Are you sure you want to delete this record?');" title="Delete record"><span class="fa fa-trash glyphicon glyphicon-trash"></span></button></form>
</td><td class="col-name">Grace</td></tr>
</table>
<a href="/admin/user/new/?url=%2Fadmin%2Fuser%2F" title="Create New Record">Create</a></div>""",
        after="""<div class="container-fluid"><ul class="nav nav-tabs"><li class="nav-item"><a href="/admin/user/new/?url=%2Fadmin%2Fuser%2F" title="Create New Record" class="nav-link">Create</a></li></ul>
<div class="table-responsive"><table class="table table-striped table-bordered table-hover model-list"><thead><tr><th class="list-checkbox-column"><input type="checkbox" name="rowtoggle" class="action-rowtoggle" title="Select all records"></th><th class="">&nbsp;</th><th class="column-header col-name"><a href="/admin/user/?sort=0" title="Sort by Name">Name</a></th></tr></thead>
<tr><td><input type="checkbox" name="rowid" class="action-checkbox" value="1" title="Select record"></td><td class="list-buttons-column">
<a class="icon" href="/admin/user/edit/?id=1&amp;url=%2Fadmin%2Fuser%2F" title="Edit Record"><span class="fa fa-pencil"></span></a>
<form class="icon" method="POST" action="/admin/user/delete/"><input id="id" name="id" required type="hidden" value="1"><input id="url" name="url" type="hidden" value="/admin/user/"><button onclick="return faHelpers.safeConfirm('Are you sure you want to delete this record?');" title="Delete record"><span class="fa fa-trash"></span></button></form>
</td><td class="col-name">Ada</td></tr>
<tr><td><input type="checkbox" name="rowid" class="action-checkbox" value="2" title="Select record"></td><td class="list-buttons-column">
<a class="icon" href="/admin/user/edit/?id=2&amp;url=%2Fadmin%2Fuser%2F" title="Edit Record"><span class="fa fa-pencil"></span></a>
<form class="icon" method="POST" action="/admin/user/delete/"><input id="id" name="id" required type="hidden" value="2"><input id="url" name="url" type="hidden" value="/admin/user/"><button onclick="return faHelpers.safeConfirm('Are you sure you want to delete this record?');" title="Delete record"><span class="fa fa-trash"></span></button></form>
</td><td class="col-name">Grace</td></tr>
</table></div></div>""",
        pairs=(
            same("tr:nth-of-type(2) a[title='Edit Record']"),
            same("tr:nth-of-type(2) button[title='Delete record']"),
            same("tr:nth-of-type(1) input[name=rowid]"),
            same("a[title='Create New Record']"),
            other("tr:nth-of-type(2) a[title='Edit Record']", "tr:nth-of-type(1) a[title='Edit Record']"),
            other("tr:nth-of-type(2) button[title='Delete record']", "tr:nth-of-type(1) button[title='Delete record']"),
            other("tr:nth-of-type(1) input[name=rowid]", "tr:nth-of-type(2) input[name=rowid]"),
            other("tr:nth-of-type(2) button[title='Delete record']", "tr:nth-of-type(2) a[title='Edit Record']"),
        ),
    ),
    Case(
        "MediaWiki login, 1.26 -> 1.39",
        before="""<div id="userloginForm"><form name="userlogin" class="mw-ui-vform" method="post" action="/index.php?title=Special:UserLogin&amp;action=submitlogin&amp;type=login">
<div class="mw-ui-vform-field"><label for="wpName1">Username</label><input class="loginText mw-ui-input" id="wpName1" tabindex="1" size="20" autofocus="" placeholder="Enter your username" name="wpName"></div>
<div class="mw-ui-vform-field"><label for="wpPassword1">Password</label><input class="loginPassword mw-ui-input" id="wpPassword1" tabindex="2" size="20" placeholder="Enter your password" type="password" name="wpPassword"></div>
<div class="mw-ui-vform-field"><div class="mw-ui-checkbox"><input name="wpRemember" type="checkbox" value="1" id="wpRemember" tabindex="3"><label for="wpRemember">Keep me logged in</label></div></div>
<div class="mw-ui-vform-field"><input id="wpLoginAttempt" tabindex="6" class="mw-ui-button mw-ui-big mw-ui-block mw-ui-constructive" type="submit" value="Log in" name="wpLoginAttempt"></div>
<div class="mw-ui-vform-field mw-form-related-link-container"><a href="/wiki/Special:PasswordReset" title="Special:PasswordReset">Forgot your password?</a></div>
</form></div>""",
        after="""<div id="userloginForm"><form class="mw-htmlform mw-ui-vform mw-ui-container" action="/index.php?title=Special:UserLogin" method="post" name="userlogin">
<div class="mw-htmlform-field-HTMLTextField loginText mw-ui-vform-field"><label for="wpName1">Username</label><div class="mw-input"><input class="loginText mw-ui-input" id="wpName1" tabindex="1" required="" size="20" autocomplete="username" autofocus="" placeholder="Enter your username" name="wpName"></div></div>
<div class="mw-htmlform-field-HTMLTextField loginPassword mw-ui-vform-field"><label for="wpPassword1">Password</label><div class="mw-input"><input class="loginPassword mw-ui-input" id="wpPassword1" tabindex="2" required="" size="20" autocomplete="current-password" placeholder="Enter your password" type="password" name="wpPassword"></div></div>
<div class="mw-htmlform-field-HTMLCheckField mw-ui-vform-field"><div class="mw-input mw-htmlform-nolabel"><div class="mw-ui-checkbox"><input name="wpRemember" type="checkbox" value="1" tabindex="3" id="wpRemember">&nbsp;<label for="wpRemember">Keep me logged in</label></div></div></div>
<div class="mw-htmlform-field-HTMLSubmitField mw-ui-vform-field"><button class="mw-htmlform-submit mw-ui-button mw-ui-primary mw-ui-progressive" id="wpLoginAttempt" tabindex="6" type="submit" value="Log in" name="wploginattempt">Log in</button></div>
<div class="mw-htmlform-field-HTMLInfoField mw-form-related-link-container mw-ui-vform-field"><a href="/wiki/Special:PasswordReset" title="Special:PasswordReset">Forgot your password?</a></div>
</form></div>""",
        pairs=(
            same("#wpName1"),
            same("#wpPassword1"),
            same("#wpRemember"),
            same("#wpLoginAttempt"),
            same("a[title='Special:PasswordReset']"),
            other("#wpName1", "#wpPassword1"),
            other("#wpLoginAttempt", "a[title='Special:PasswordReset']"),
        ),
    ),
    Case(
        "WordPress login, 4.4 -> 6.4",
        before="""<div id="login"><h1><a href="https://wordpress.org/" title="Powered by WordPress" tabindex="-1">Example</a></h1>
<form name="loginform" id="loginform" action="/wp-login.php" method="post">
<p><label for="user_login">Username<br /><input type="text" name="log" id="user_login" class="input" value="" size="20" /></label></p>
<p><label for="user_pass">Password<br /><input type="password" name="pwd" id="user_pass" class="input" value="" size="20" /></label></p>
<p class="forgetmenot"><label for="rememberme"><input name="rememberme" type="checkbox" id="rememberme" value="forever"  /> Remember Me</label></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
<input type="hidden" name="redirect_to" value="/wp-admin/" /></p></form>
<p id="nav"><a href="/wp-login.php?action=lostpassword" title="Password Lost and Found">Lost your password?</a></p></div>""",
        after="""<div id="login"><h1><a href="https://wordpress.org/">Powered by WordPress</a></h1>
<form name="loginform" id="loginform" action="/wp-login.php" method="post">
<p><label for="user_login">Username or Email Address</label><input type="text" name="log" id="user_login" class="input" value="" size="20" autocapitalize="off" autocomplete="username" required="required" /></p>
<div class="user-pass-wrap"><label for="user_pass">Password</label><div class="wp-pwd"><input type="password" name="pwd" id="user_pass" class="input password-input" value="" size="20" autocomplete="current-password" spellcheck="false" required="required" />
<button type="button" class="button button-secondary wp-hide-pw hide-if-no-js" data-toggle="0" aria-label="Show password"><span class="dashicons dashicons-visibility" aria-hidden="true"></span></button></div></div>
<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme" value="forever"  /> <label for="rememberme">Remember Me</label></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
<input type="hidden" name="redirect_to" value="/wp-admin/" /><input type="hidden" name="testcookie" value="1" /></p></form>
<p id="nav"><a href="/wp-login.php?action=lostpassword">Lost your password?</a></p></div>""",
        pairs=(
            changed("words", "#user_login"),
            same("#user_pass"),
            same("#rememberme"),
            same("#wp-submit"),
            same("#nav a"),
            other("#user_pass", "#user_login"),
            other("#wp-submit", ".wp-hide-pw"),
            other("#user_login", "#user_pass"),
        ),
    ),
    Case(
        "Bootstrap 3 -> 5 sign-in page with a newsletter box",
        before="""<nav class="navbar navbar-default"><div class="container"><a class="navbar-brand" href="/">Shop</a><ul class="nav navbar-nav navbar-right"><li><a href="/login">Sign in</a></li><li><a href="/register">Register</a></li></ul></div></nav>
<div class="container"><form class="form-signin" method="post" action="/login"><h2 class="form-signin-heading">Please sign in</h2>
<label for="inputEmail" class="sr-only">Email address</label><input type="email" id="inputEmail" name="email" class="form-control" placeholder="Email address">
<label for="inputPassword" class="sr-only">Password</label><input type="password" id="inputPassword" name="password" class="form-control" placeholder="Password">
<button class="btn btn-lg btn-primary btn-block" type="submit">Sign in</button></form>
<form class="newsletter" method="post" action="/newsletter"><input type="email" name="email" class="form-control" placeholder="Email address"><button class="btn btn-default" type="submit">Subscribe</button></form></div>""",
        after="""<nav class="navbar navbar-expand-lg bg-body-tertiary"><div class="container-fluid"><a class="navbar-brand" href="/">Shop</a><div class="collapse navbar-collapse"><ul class="navbar-nav ms-auto"><li class="nav-item"><a class="nav-link" href="/login">Sign in</a></li><li class="nav-item"><a class="nav-link" href="/register">Register</a></li></ul></div></div></nav>
<main class="form-signin w-100 m-auto"><form method="post" action="/login"><h1 class="h3 mb-3 fw-normal">Please sign in</h1>
<div class="form-floating"><input type="email" class="form-control" id="floatingInput" name="email" placeholder="name@example.com"><label for="floatingInput">Email address</label></div>
<div class="form-floating"><input type="password" class="form-control" id="floatingPassword" name="password" placeholder="Password"><label for="floatingPassword">Password</label></div>
<button class="btn btn-primary w-100 py-2" type="submit">Sign in</button></form>
<form class="newsletter d-flex" method="post" action="/newsletter"><input type="email" name="email" class="form-control" placeholder="Email address" aria-label="Email address"><button class="btn btn-outline-secondary" type="submit">Subscribe</button></form>
<button class="btn btn-link" type="button">Unsubscribe</button></main>""",
        pairs=(
            Pair("#inputEmail", "#floatingInput", True),
            Pair("#inputPassword", "#floatingPassword", True),
            same("form.form-signin button", "form[action='/login'] button"),
            same(".newsletter button"),
            same("a[href='/register']"),
            other("form.form-signin button", "a[href='/login']"),
            other(".newsletter button", "button.btn-link"),
            other("#inputEmail", ".newsletter input"),
            other("form.form-signin button", ".newsletter button"),
        ),
    ),
    Case(
        "Wagtail page editor footer, 2.x -> 5.x",
        before="""<form id="page-edit-form" action="/admin/pages/3/edit/" method="POST" novalidate>
<footer role="contentinfo"><ul><li class="actions preview"><button class="button action-preview" data-action="/admin/pages/3/edit/preview/">Preview</button></li>
<li class="actions actions--primary footer__container"><div class="dropdown dropup dropdown-button match-width">
<button type="submit" class="button action-save button-longrunning" data-clicked-text="Saving…"><span class="icon icon-spinner"></span><em>Save draft</em></button>
<div class="dropdown-toggle icon icon-arrow-up"></div><ul>
<li><button type="submit" name="action-publish" value="action-publish" class="button button-longrunning" data-clicked-text="Publishing…"><span class="icon icon-spinner"></span><em>Publish</em></button></li>
<li><button type="submit" name="action-submit" value="Submit for moderation" class="button">Submit for moderation</button></li>
</ul></div></li></ul></footer></form>""",
        after="""<form id="page-edit-form" action="/admin/pages/3/edit/" method="POST" novalidate data-edit-form data-controller="w-unsaved">
<footer class="footer"><nav aria-label="Actions"><div class="footer__container">
<div class="w-dropdown-button"><button type="submit" class="button action-save button-longrunning" data-controller="w-progress" data-action="w-progress#activate" data-w-progress-active-value="Saving…">
<svg class="icon icon-draft button-longrunning__icon" aria-hidden="true"><use href="#icon-draft"></use></svg><svg class="icon icon-spinner icon" aria-hidden="true"><use href="#icon-spinner"></use></svg><em data-w-progress-target="label">Save draft</em></button>
<div class="w-dropdown"><button type="button" class="w-dropdown__toggle" aria-label="More actions"><svg class="icon icon-arrow-up" aria-hidden="true"><use href="#icon-arrow-up"></use></svg></button>
<div class="w-dropdown__content">
<button type="submit" name="action-publish" value="action-publish" class="button action-secondary button-longrunning" data-controller="w-progress" data-w-progress-active-value="Publishing…"><svg class="icon icon-upload button-longrunning__icon" aria-hidden="true"><use href="#icon-upload"></use></svg><em data-w-progress-target="label">Publish</em></button>
<button type="submit" name="action-submit" value="Submit for moderation" class="button">Submit for moderation</button>
</div></div></div></div></nav></footer></form>""",
        pairs=(
            same("button.action-save"),
            same("button[name=action-publish]"),
            same("button[name=action-submit]"),
            other("button.action-save", "button[name=action-publish]"),
            other("button[name=action-publish]", "button[name=action-submit]"),
            other("button.action-save", "button[name=action-submit]"),
        ),
    ),
    Case(
        "Issue tracker list with per-row actions, restyled",
        before="""<div id="issues"><div class="card issue"><h3><a href="/issues/41">Printer jams on page 2</a></h3><p>Opened by ada</p><button type="button" class="close-issue" data-id="41">Close</button><button type="button" class="star">Star</button></div>
<div class="card issue"><h3><a href="/issues/42">Scanner offline</a></h3><p>Opened by grace</p><button type="button" class="close-issue" data-id="42">Close</button><button type="button" class="star">Star</button></div>
<div class="card issue"><h3><a href="/issues/43">Toner low</a></h3><p>Opened by ada</p><button type="button" class="close-issue" data-id="43">Close</button><button type="button" class="star">Star</button></div></div>""",
        after="""<section id="issues" aria-label="Open issues"><article class="card issue issue--open"><header><h3 class="issue__title"><a href="/issues/43">Toner low</a></h3><span class="badge">new</span></header><p>Opened by ada</p><div class="actions"><button type="button" class="close-issue btn" data-id="43" aria-describedby="t43">Close</button><button type="button" class="star btn">Star</button></div></article>
<article class="card issue issue--open"><header><h3 class="issue__title"><a href="/issues/42">Scanner offline</a></h3></header><p>Opened by grace</p><div class="actions"><button type="button" class="close-issue btn" data-id="42">Close</button><button type="button" class="star btn">Star</button></div></article>
<article class="card issue issue--open"><header><h3 class="issue__title"><a href="/issues/41">Printer jams on page 2</a></h3></header><p>Opened by ada</p><div class="actions"><button type="button" class="close-issue btn" data-id="41">Close</button><button type="button" class="star btn">Star</button></div></article></section>""",
        pairs=(
            same(".card:nth-child(2) .close-issue", "article:nth-child(2) .close-issue"),
            same(".card:nth-child(1) .close-issue", "article:nth-child(3) .close-issue"),
            same(".card:nth-child(1) h3 a", "article:nth-child(3) h3 a"),
            other(".card:nth-child(2) .close-issue", "article:nth-child(1) .close-issue"),
            other(".card:nth-child(2) .close-issue", "article:nth-child(3) .close-issue"),
            other(".card:nth-child(1) .close-issue", "article:nth-child(1) .close-issue"),
            other(".card:nth-child(2) .close-issue", "article:nth-child(2) .star"),
            other(".card:nth-child(1) h3 a", "article:nth-child(1) h3 a"),
        ),
    ),
    Case(
        "Account settings: a save button and the danger zone, restyled",
        before="""<main><h1>Settings</h1><form id="profile" method="post" action="/settings/profile"><label>Name <input name="name" value="Ada"></label><button type="submit" class="btn">Save</button></form>
<section class="danger"><h2>Danger zone</h2><form method="post" action="/settings/delete"><button type="submit" class="btn btn-danger">Delete account</button></form></section>
<form method="post" action="/newsletter/unsubscribe"><button type="submit" class="btn-link">Unsubscribe</button></form><form method="post" action="/newsletter/subscribe"><button type="submit" class="btn-link">Subscribe</button></form></main>""",
        after="""<main class="settings"><h1>Settings</h1><div class="panel"><form id="profile" method="post" action="/settings/profile"><div class="field"><label for="name">Name</label><input id="name" name="name" value="Ada"></div><div class="row"><button type="submit" class="button button--primary">Save</button></div></form></div>
<section class="panel danger"><h2>Danger zone</h2><p>This cannot be undone.</p><form method="post" action="/settings/delete"><button type="submit" class="button button--danger">Save and delete account</button></form></section>
<div class="newsletter"><form method="post" action="/newsletter/subscribe"><button type="submit" class="button">Subscribe</button></form><form method="post" action="/newsletter/unsubscribe"><button type="submit" class="button">Unsubscribe</button></form></div></main>""",
        pairs=(
            same("#profile button"),
            changed("words", ".danger button"),
            same("form[action='/newsletter/subscribe'] button"),
            same("form[action='/newsletter/unsubscribe'] button"),
            other("#profile button", ".danger button"),
            other("form[action='/newsletter/subscribe'] button", "form[action='/newsletter/unsubscribe'] button"),
            other("form[action='/newsletter/unsubscribe'] button", "form[action='/newsletter/subscribe'] button"),
            other(".danger button", "#profile button"),
        ),
    ),
)
