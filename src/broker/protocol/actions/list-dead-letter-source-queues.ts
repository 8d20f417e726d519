import { defineAction } from "../action.ts";
import { integer, optional, required, string, stringList } from "../shapes.ts";

export const listDeadLetterSourceQueues = defineAction<{
  QueueUrl: string;
  NextToken?: string;
  MaxResults?: number;
}>({
  name: "ListDeadLetterSourceQueues",
  input: { QueueUrl: required(string), NextToken: optional(string), MaxResults: optional(integer) },
  output: { queueUrls: required(stringList, "QueueUrl"), NextToken: optional(string) },
  run(context, input) {
    const { engine, queueName } = context;
    const page = engine.listDeadLetterSourceQueues(
      queueName(input.QueueUrl),
      input.MaxResults,
      input.NextToken,
    );
    // The API spells this member in lower camel case, unlike ListQueues.
    const out: { queueUrls: string[]; NextToken?: string } = {
      queueUrls: page.names.map((name) => context.queueUrl(name)),
    };
    if (page.nextToken) out.NextToken = page.nextToken;
    return out;
  },
});
