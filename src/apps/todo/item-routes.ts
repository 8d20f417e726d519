import { parseTodoFields } from "./todo-item.ts";
import type { TodoFields } from "./todo-item.ts";
import type { CalendarJobs } from "./calendar-jobs.ts";
import { json, jsonError } from "../http/web-app.ts";
import type { WebReply, WebRequest } from "../http/web-app.ts";
import { isForm, readFields, redirect } from "./todo-request.ts";
import { TodoConflict } from "./todo-store.ts";
import type { TodoChange, TodoStore } from "./todo-store.ts";

/** The item API of one user: add, edit, delete, tick off several at once. */
export class ItemRoutes {
  constructor(
    private readonly store: TodoStore,
    private readonly calendars: CalendarJobs,
  ) {}

  list(userId: string): WebReply {
    return json(200, this.store.list(userId));
  }

  get(userId: string, itemId: number): WebReply {
    const item = this.store.item(userId, itemId);
    return item ? json(200, item) : noItem(userId, itemId);
  }

  /** One item, or a JSON array of items added as one change. */
  async add(request: WebRequest, userId: string): Promise<WebReply> {
    const body = await readFields(request);
    if (!body.ok) return this.refuse(request, userId, 400, body.reason);
    const inputs = Array.isArray(body.value) ? body.value : [body.value];
    const many: (TodoFields & { title: string })[] = [];
    for (const [index, input] of inputs.entries()) {
      const parsed = parseTodoFields(input, { requireTitle: true });
      if (!parsed.ok) {
        const where = Array.isArray(body.value) ? `item ${index}: ` : "";
        return this.refuse(request, userId, 400, `${where}${parsed.reason}`);
      }
      many.push(parsed.fields as TodoFields & { title: string });
    }
    return this.changed(request, userId, 201, () => this.store.addMany(userId, many), {
      several: Array.isArray(body.value),
    });
  }

  async update(request: WebRequest, userId: string, itemId: number): Promise<WebReply> {
    const body = await readFields(request);
    if (!body.ok) return this.refuse(request, userId, 400, body.reason);
    const fields = parseTodoFields(editedOnly(body.value), { requireTitle: false });
    if (!fields.ok) return this.refuse(request, userId, 400, fields.reason);
    return this.changed(
      request,
      userId,
      200,
      () => this.store.update(userId, itemId, fields.fields),
      { itemId },
    );
  }

  async remove(request: WebRequest, userId: string, itemId: number): Promise<WebReply> {
    return this.changed(request, userId, 200, () => this.store.remove(userId, itemId), {
      itemId,
    });
  }

  /**
   * `{ids: [1, 2], done: true}`: one change (one version, one calendar job)
   * for them all; none is changed when the user has no item of one of them (404).
   */
  async setDone(request: WebRequest, userId: string): Promise<WebReply> {
    const body = await readFields(request);
    if (!body.ok) return this.refuse(request, userId, 400, body.reason);
    if (typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) {
      return this.refuse(request, userId, 400, "expected an object with ids and done");
    }
    const { ids, done = true } = body.value as { ids?: unknown; done?: unknown };
    const itemIds = isForm(request) ? formItemIds(ids) : jsonItemIds(ids);
    if (itemIds === undefined) {
      return this.refuse(request, userId, 400, "ids must be a list of item numbers");
    }
    const parsedDone = parseTodoFields({ done }, { requireTitle: false });
    if (!parsedDone.ok) return this.refuse(request, userId, 400, parsedDone.reason);
    const missing = itemIds.find((id) => this.store.item(userId, id) === undefined);
    if (missing !== undefined)
      return this.refuse(request, userId, 404, noItemText(userId, missing));
    return this.changed(request, userId, 200, () =>
      this.store.setDone(userId, itemIds, parsedDone.fields.done!),
    );
  }

  /**
   * Makes the change, enqueues the calendar job when it changed anything, and
   * answers with the item it added or edited, or with `items` when the
   * request gave `several` (a JSON array) to add.
   */
  private async changed(
    request: WebRequest,
    userId: string,
    status: number,
    change: () => TodoChange | undefined,
    { itemId, several = false }: { itemId?: number; several?: boolean } = {},
  ): Promise<WebReply> {
    let result: TodoChange | undefined;
    try {
      result = change();
    } catch (error) {
      if (error instanceof TodoConflict) return this.refuse(request, userId, 409, error.message);
      throw error;
    }
    if (result === undefined) return this.refuse(request, userId, 404, noItemText(userId, itemId!));
    const calendarJob =
      result.changed > 0
        ? await this.calendars.enqueue(result.list, result.previousChangedAt)
        : null;
    if (isForm(request)) return redirect(`/users/${encodeURIComponent(userId)}`);
    const [item] = result.items;
    return json(status, {
      ...(several ? { items: result.items } : item === undefined ? {} : { item }),
      changed: result.changed,
      version: result.list.version,
      calendarJob,
    });
  }

  /** A refused change: JSON with the reason, or for a form, the page again with it. */
  private refuse(request: WebRequest, userId: string, status: number, reason: string): WebReply {
    if (isForm(request)) {
      return redirect(`/users/${encodeURIComponent(userId)}?error=${encodeURIComponent(reason)}`);
    }
    return jsonError(status, reason);
  }
}

function noItem(userId: string, itemId: number): WebReply {
  return jsonError(404, noItemText(userId, itemId));
}

export function noItemText(userId: string, itemId: number): string {
  return `${userId} has no item ${itemId}`;
}

/** JSON gives item numbers as integers: `[true]`, `["2"]` or `[[2]]` are not ids. */
function jsonItemIds(ids: unknown): number[] | undefined {
  if (!Array.isArray(ids)) return undefined;
  return ids.every((id) => Number.isSafeInteger(id) && (id as number) >= 1)
    ? (ids as number[])
    : undefined;
}

/** A form sends each ticked box as `ids=<digits>`, and no `ids` when none is ticked. */
function formItemIds(ids: unknown): number[] | undefined {
  const list = ids === undefined ? [] : (ids as string[]);
  if (!list.every((id) => /^[1-9]\d{0,14}$/.test(id))) return undefined;
  return list.map(Number);
}

/**
 * The edit page's form sends every field, and beside each its value when
 * the page was made (`was_title`...). Only the fields the person changed
 * are applied, so saving the page never undoes what changed meanwhile (a
 * tick-off in another tab, an edit through the API).
 */
function editedOnly(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const fields = value as Record<string, unknown>;
  const lines = (text: unknown) => String(text ?? "").replace(/\r\n?/g, "\n");
  const edited: Record<string, unknown> = {};
  for (const [name, sent] of Object.entries(fields)) {
    if (name.startsWith("was_")) continue;
    const was = `was_${name}`;
    if (Object.hasOwn(fields, was) && lines(fields[was]) === lines(sent)) continue;
    edited[name] = sent;
  }
  return edited;
}
