import { randomUUID } from "node:crypto";

/** Where message ids come from; injected so tests can make them predictable. */
export interface IdSource {
  messageId(): string;
}

export const randomIds: IdSource = { messageId: () => randomUUID() };
