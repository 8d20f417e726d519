import { JOB_STATUSES } from "../jobs/job-record.ts";
import type { JobStatus } from "../jobs/job-record.ts";
import type { ResultBackend } from "../jobs/result-backend.ts";
import { CALENDAR_TASK } from "./calendar-job.ts";
import type { CalendarJobs } from "./calendar-jobs.ts";
import { answerCalendar } from "./calendar-response.ts";
import type { CalendarStore } from "./calendar-store.ts";
import { json, jsonError } from "../http/web-app.ts";
import type { WebReply, WebRequest } from "../http/web-app.ts";
import type { TodoStore } from "./todo-store.ts";

/** Calendars and jobs: the `.ics` feed, its status, a render on demand, a job's record. */
export class CalendarRoutes {
  constructor(
    private readonly store: TodoStore,
    private readonly calendars: CalendarStore,
    private readonly jobs: CalendarJobs,
    private readonly backend: ResultBackend,
  ) {}

  /** `GET /users/<id>/calendar.ics`: the newest rendered calendar, conditional on ETag / date. */
  async ics(request: WebRequest, userId: string): Promise<WebReply> {
    const calendar = await this.calendars.latest(userId);
    if (calendar === undefined) {
      return jsonError(404, `no calendar rendered for ${userId} yet; try again shortly`, {
        "Retry-After": "1",
      });
    }
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const answer = answerCalendar(
      calendar,
      {
        ifNoneMatch: header("if-none-match"),
        ifModifiedSince: header("if-modified-since"),
      },
      Date.now(),
    );
    if (answer.notModified) return { status: 304, headers: answer.headers };
    return {
      status: 200,
      type: "text/calendar; charset=utf-8",
      body: calendar.ics,
      headers: {
        ...answer.headers,
        "Content-Disposition": `inline; filename="${userId}.ics"`,
        "X-Calendar-Version": String(calendar.version),
      },
    };
  }

  /** `GET /users/<id>/calendar`: the list's version against the calendar's, and the last job. */
  async status(userId: string): Promise<WebReply> {
    const list = this.store.list(userId);
    const calendar = await this.calendars.latest(userId);
    const jobId = this.store.calendarJob(userId);
    return json(200, {
      userId,
      version: list.version,
      changedAt: list.changedAt,
      calendar:
        calendar === undefined
          ? null
          : { version: calendar.version, renderedAt: calendar.renderedAt, etag: calendar.etag },
      upToDate: calendar !== undefined && calendar.version >= list.version,
      lastJob: jobId === undefined ? null : ((await this.backend.get(jobId)) ?? { id: jobId }),
    });
  }

  /** `POST /users/<id>/calendar`: render now (the practical's 202 with a job to follow). */
  async render(userId: string): Promise<WebReply> {
    const job = await this.jobs.enqueue(this.store.list(userId));
    if ("error" in job) return jsonError(503, job.error);
    return json(202, { jobId: job.id, status: job.status }, { Location: job.status });
  }

  async job(jobId: string): Promise<WebReply> {
    const record = await this.backend.get(jobId);
    return record ? json(200, record) : jsonError(404, `no job ${jobId}`);
  }

  /** `GET /jobs?status=succeeded`: calendar jobs, oldest first (at most 10,000). */
  async jobList(request: WebRequest): Promise<WebReply> {
    const status = request.query.get("status") ?? undefined;
    if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus)) {
      return jsonError(400, `status must be one of ${JOB_STATUSES.join(", ")}`);
    }
    const jobs = await this.backend.list({
      task: CALENDAR_TASK,
      ...(status === undefined ? {} : { status: status as JobStatus }),
    });
    return json(200, { count: jobs.length, jobs });
  }

  /** `GET /stats`: calendar jobs by status (`succeeded` counts renders). */
  async stats(): Promise<WebReply> {
    return json(200, {
      task: CALENDAR_TASK,
      jobs: await this.backend.countByStatus(CALENDAR_TASK),
    });
  }
}
