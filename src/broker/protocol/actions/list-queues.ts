import { defineAction } from "../action.ts";
import { integer, optional, string, stringList } from "../shapes.ts";

export const listQueues = defineAction<{
  QueueNamePrefix?: string;
  NextToken?: string;
  MaxResults?: number;
}>({
  name: "ListQueues",
  input: {
    QueueNamePrefix: optional(string),
    NextToken: optional(string),
    MaxResults: optional(integer),
  },
  output: { QueueUrls: optional(stringList, "QueueUrl"), NextToken: optional(string) },
  run(context, input) {
    const page = context.engine.listQueues(
      input.QueueNamePrefix,
      input.MaxResults,
      input.NextToken,
    );
    const out: { QueueUrls?: string[]; NextToken?: string } = {};
    if (page.names.length > 0) out.QueueUrls = page.names.map((name) => context.queueUrl(name));
    if (page.nextToken) out.NextToken = page.nextToken;
    return out;
  },
});
