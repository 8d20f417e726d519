import type { Logger } from "pino";
import type { ResultBackend } from "../jobs/result-backend.ts";
import type { CalendarJobs } from "./calendar-jobs.ts";
import { CalendarRoutes } from "./calendar-routes.ts";
import type { CalendarStore } from "./calendar-store.ts";
import { ItemRoutes, noItemText } from "./item-routes.ts";
import { USER_ID_PATTERN } from "./todo-item.ts";
import { editPage, homePage, missingPage, userPage } from "./todo-page.ts";
import { json, jsonError, safeDecode } from "../http/web-app.ts";
import type { WebReply, WebRequest } from "../http/web-app.ts";
import { html, redirect } from "./todo-request.ts";
import type { TodoStore } from "./todo-store.ts";

export interface TodoRoutesOptions {
  readonly store: TodoStore;
  readonly calendars: CalendarStore;
  readonly jobs: CalendarJobs;
  readonly backend: ResultBackend;
  readonly logger: Logger;
}

type Handler = (request: WebRequest, match: RegExpExecArray) => Promise<WebReply> | WebReply;
type Route = readonly [method: string, pattern: RegExp, handler: Handler];

const USER = "/users/([^/]+)";
const ITEM = `${USER}/items/(\\d{1,15})`;

/**
 * The Todo app's routes (see docs/todo.md for the API). JSON for programs;
 * the HTML pages post plain forms and are answered with a redirect back.
 */
export function createTodoRoutes(
  options: TodoRoutesOptions,
): (request: WebRequest) => Promise<WebReply> {
  const { store, backend } = options;
  const items = new ItemRoutes(store, options.jobs);
  const calendar = new CalendarRoutes(store, options.calendars, options.jobs, backend);
  const id = (match: RegExpExecArray) => Number(match[2]);

  const routes: readonly Route[] = [
    ["GET", /^\/$/, () => html(200, homePage())],
    ["GET", /^\/health$/, () => json(200, { status: "ok" })],
    ["GET", /^\/stats$/, () => calendar.stats()],
    [
      "GET",
      /^\/users$/,
      // The home page's form: an empty id would redirect to /users/, which is /users again.
      (request) => {
        const id = request.query.get("id") ?? "";
        return id === "" ? redirect("/") : redirect(`/users/${encodeURIComponent(id)}`);
      },
    ],
    [
      "GET",
      re(USER),
      async (request, match) => {
        const userId = match[1]!;
        const list = store.list(userId);
        const jobId = store.calendarJob(userId);
        const view = {
          calendar: await options.calendars.latest(userId),
          lastJob: jobId === undefined ? undefined : await backend.get(jobId),
          icsUrl: `${request.origin}/users/${encodeURIComponent(userId)}/calendar.ics`,
        };
        return html(200, userPage(list, view, request.query.get("error") ?? undefined));
      },
    ],
    ["GET", re(`${USER}/items`), (_, match) => items.list(match[1]!)],
    ["POST", re(`${USER}/items`), (request, match) => items.add(request, match[1]!)],
    ["POST", re(`${USER}/items/done`), (request, match) => items.setDone(request, match[1]!)],
    ["GET", re(ITEM), (_, match) => items.get(match[1]!, id(match))],
    ["PATCH", re(ITEM), (request, match) => items.update(request, match[1]!, id(match))],
    ["POST", re(ITEM), (request, match) => items.update(request, match[1]!, id(match))],
    ["DELETE", re(ITEM), (request, match) => items.remove(request, match[1]!, id(match))],
    ["POST", re(`${ITEM}/delete`), (request, match) => items.remove(request, match[1]!, id(match))],
    [
      "GET",
      re(`${ITEM}/edit`),
      (_, match) => {
        const item = store.item(match[1]!, id(match));
        return item
          ? html(200, editPage(match[1]!, item))
          : html(404, missingPage(match[1]!, noItemText(match[1]!, id(match))));
      },
    ],
    ["GET", re(`${USER}/calendar\\.ics`), (request, match) => calendar.ics(request, match[1]!)],
    ["GET", re(`${USER}/calendar`), (_, match) => calendar.status(match[1]!)],
    ["POST", re(`${USER}/calendar`), (_, match) => calendar.render(match[1]!)],
    ["GET", /^\/jobs$/, (request) => calendar.jobList(request)],
    [
      "GET",
      /^\/jobs\/([^/]+)$/,
      (_, match) => {
        const jobId = safeDecode(match[1]!);
        return jobId === undefined ? jsonError(404, `no job ${match[1]}`) : calendar.job(jobId);
      },
    ],
  ];

  return async (request) => {
    const { method } = request;
    const allowed: string[] = [];
    for (const [routeMethod, pattern, handler] of routes) {
      const match = pattern.exec(request.path);
      if (!match) continue;
      if (routeMethod !== method) {
        allowed.push(routeMethod);
        continue;
      }
      if (match[1] !== undefined && pattern.source.startsWith("^\\/users\\/")) {
        const userId = safeDecode(match[1]);
        if (userId === undefined || !USER_ID_PATTERN.test(userId)) {
          return jsonError(
            400,
            "a user id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
          );
        }
        match[1] = userId;
      }
      return handler(request, match);
    }
    if (allowed.length > 0) {
      const allow = [...new Set(allowed)].join(", ");
      return jsonError(405, `method not allowed; use ${allow}`, { Allow: allow });
    }
    return jsonError(404, `no such route: ${request.method} ${request.path}`);
  };
}

function re(path: string): RegExp {
  return new RegExp(`^${path}$`);
}
