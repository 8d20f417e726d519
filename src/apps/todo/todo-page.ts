import type { JobRecord } from "../jobs/job-record.ts";
import type { StoredCalendar } from "./calendar-store.ts";
import type { TodoItem } from "./todo-item.ts";
import type { TodoList } from "./todo-store.ts";

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}
.done{color:#777;text-decoration:line-through}form.inline{display:inline}input[type=text]{width:100%}
.muted{color:#666;font-size:.9em}fieldset{margin:1rem 0}`;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

/** `/`: pick a user. */
export function homePage(): string {
  return page(
    "Todo",
    `<h1>Todo</h1>
<form method="get" action="/users"><label>Your user id <input name="id" pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}" required></label>
<button>Open my list</button></form>
<p class="muted">Each change renders your calendar again in the background; subscribe to it from your calendar app.</p>`,
  );
}

/** What the user page shows about the calendar. */
export interface CalendarView {
  readonly calendar: StoredCalendar | undefined;
  readonly lastJob: JobRecord | undefined;
  /** Absolute `http(s)://.../calendar.ics` for the subscribe links. */
  readonly icsUrl: string;
}

/** `/users/<id>`: the list, with forms to add, edit and tick off several items at once. */
export function userPage(list: TodoList, view: CalendarView, error?: string): string {
  const base = `/users/${encodeURIComponent(list.userId)}`;
  const rows = list.items.map((item) => itemRow(base, item)).join("\n");
  const webcal = view.icsUrl.replace(/^https?:/, "webcal:");
  return page(
    `Todo: ${list.userId}`,
    `<h1>Todo list of ${escapeHtml(list.userId)}</h1>
${error === undefined ? "" : `<p role="alert"><strong>${escapeHtml(error)}</strong></p>`}
<form method="post" action="${base}/items/done">
<table><thead><tr><th></th><th>Title</th><th>Due</th><th>Notes</th><th></th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5" class="muted">Nothing to do yet.</td></tr>'}
</tbody></table>
<p><button name="done" value="true">Tick off selected</button> <button name="done" value="false">Mark selected not done</button></p>
</form>
<fieldset><legend>Add an item</legend>
<form method="post" action="${base}/items">
<p><label>Title <input type="text" name="title" maxlength="200" required></label></p>
<p><label>Due <input name="due" size="32" placeholder="2026-12-24 or 2026-12-24T15:30"></label></p>
<p><label>Notes <textarea name="notes" maxlength="1000" rows="2" cols="40"></textarea></label></p>
<button>Add</button></form></fieldset>
<h2>Calendar</h2>
<p>Subscribe: <a href="${escapeHtml(webcal)}">${escapeHtml(webcal)}</a> (or <a href="${base}/calendar.ics">download it</a>)</p>
<p class="muted">${calendarLine(list, view)}</p>`,
  );
}

/** `/users/<id>/items/<n>/edit`: one item's form. */
export function editPage(userId: string, item: TodoItem): string {
  const base = `/users/${encodeURIComponent(userId)}`;
  return page(
    `Edit: ${item.title}`,
    `<h1>Edit item</h1>
<form method="post" action="${base}/items/${item.id}">
${wasFields(item)}
<p><label>Title <input type="text" name="title" maxlength="200" required value="${escapeHtml(item.title)}"></label></p>
<p><label>Due <input name="due" size="32" value="${escapeHtml(item.due ?? "")}" placeholder="2026-12-24 or 2026-12-24T15:30"></label></p>
<p><label>Notes <textarea name="notes" maxlength="1000" rows="4" cols="40">
${escapeHtml(item.notes)}</textarea></label></p>
<p><label><input type="hidden" name="done" value="false"><input type="checkbox" name="done" value="true"${item.done ? " checked" : ""}> Done</label></p>
<button>Save</button> <a href="${base}">Cancel</a></form>
<form method="post" action="${base}/items/${item.id}/delete"><p><button>Delete this item</button></p></form>`,
  );
}

/** A page for an item that is not there (deleted, in another tab perhaps), with the way back. */
export function missingPage(userId: string, reason: string): string {
  return page(
    "Todo: not found",
    `<h1>Not found</h1>
<p role="alert"><strong>${escapeHtml(reason)}</strong></p>
<p><a href="/users/${encodeURIComponent(userId)}">Back to the list</a></p>`,
  );
}

/** Each field as the page shows it: the server applies only what the person changed. */
function wasFields(item: TodoItem): string {
  const was = {
    title: item.title,
    due: item.due ?? "",
    notes: item.notes,
    done: String(item.done),
  };
  return Object.entries(was)
    .map(([name, value]) => `<input type="hidden" name="was_${name}" value="${escapeHtml(value)}">`)
    .join("");
}

function itemRow(base: string, item: TodoItem): string {
  return `<tr${item.done ? ' class="done"' : ""}><td><input type="checkbox" name="ids" value="${item.id}" aria-label="select ${escapeHtml(item.title)}"></td>
<td>${item.done ? "✓ " : ""}${escapeHtml(item.title)}</td><td>${item.due === null ? '<span class="muted">none (not in the calendar)</span>' : escapeHtml(item.due)}</td>
<td>${escapeHtml(item.notes)}</td><td><a href="${base}/items/${item.id}/edit">edit</a></td></tr>`;
}

function calendarLine(list: TodoList, view: CalendarView): string {
  const job = view.lastJob
    ? ` Last render job: <a href="/jobs/${encodeURIComponent(view.lastJob.id)}">${view.lastJob.status}</a>.`
    : "";
  if (view.calendar === undefined) return `Not rendered yet.${job}`;
  const when = new Date(view.calendar.renderedAt).toISOString();
  const state =
    view.calendar.version >= list.version ? "up to date" : `rendering version ${list.version}…`;
  return `Version ${view.calendar.version} rendered at ${when}: ${state}.${job}`;
}
