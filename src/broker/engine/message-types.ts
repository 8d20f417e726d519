/**
 * Message shapes in SQS's own vocabulary. The engine speaks these member
 * names (as the API reference spells them) so that the protocol layer can
 * hand inputs through and serialize outputs without renaming anything.
 */

/** One message attribute value. `DataType` is String, Number or Binary, optionally with a `.custom` suffix. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** What a producer sends: one SendMessage call or one SendMessageBatch entry. */
export interface SendMessageRequest {
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: MessageAttributes;
  MessageSystemAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendMessageResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: MessageAttributes;
}

/** The part of a message that never changes once sent; stores keep it apart from the delivery state. */
export interface MessagePayload {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: MessageAttributes;
  md5OfMessageAttributes?: string;
  /** Only AWSTraceHeader exists today. */
  systemAttributes?: MessageAttributes;
  md5OfSystemAttributes?: string;
  senderId: string;
  deduplicationId?: string;
}
