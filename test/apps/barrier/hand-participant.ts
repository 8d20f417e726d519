import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  encodeBarrierMessage,
  parseBarrierMessage,
} from "../../../src/apps/barrier/barrier-messages.ts";
import type { BarrierMessage } from "../../../src/apps/barrier/barrier-messages.ts";

/** A participant played by hand: raw messages on the barrier's queues. */
export async function handParticipant(sqs: SQSClient, barrier: string, id: string) {
  const create = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const checkInUrl = await create(`${barrier}-checkin`);
  const releaseUrl = await create(`${barrier}-release-${id}`);
  const send = (message: BarrierMessage) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: checkInUrl,
        MessageBody: encodeBarrierMessage(message),
      }),
    );
  const participant = {
    send,
    /** Joins as the incarnation `hand-made`; the session is the coordinator's welcome's. */
    async join(): Promise<{ session: string; incarnation: string }> {
      const incarnation = "hand-made";
      await send({ kind: "join", participant: id, incarnation, welcomeWaitMs: 60_000 });
      const welcome = await participant.next();
      if (welcome.kind !== "welcome") throw new Error(`${id} got ${JSON.stringify(welcome)}`);
      return { session: welcome.session, incarnation };
    },
    /** Long-polls its release queue for the next barrier message (and deletes it). */
    async next(): Promise<BarrierMessage> {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: releaseUrl,
            WaitTimeSeconds: 5,
            MaxNumberOfMessages: 1,
          }),
        );
        for (const received of Messages) {
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: releaseUrl,
              ReceiptHandle: received.ReceiptHandle!,
            }),
          );
          const message = parseBarrierMessage(received.Body);
          if (message) return message;
        }
      }
      throw new Error(`nothing on ${barrier}-release-${id}`);
    },
    /** Everything left on its release queue after a short wait. */
    async rest(): Promise<BarrierMessage[]> {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: releaseUrl,
          WaitTimeSeconds: 1,
          MaxNumberOfMessages: 10,
        }),
      );
      return Messages.flatMap((m) => parseBarrierMessage(m.Body) ?? []);
    },
  };
  return participant;
}
