/**
 * A widget a store can never hold, however often it is asked: a key longer
 * than S3 allows, a file name longer than the file system allows, an item
 * over DynamoDB's size limit. The request is valid by the course's rules, but
 * retrying cannot help, so the consumer sets it aside on its first receive
 * with this message as the reason, instead of after every retry.
 */
export class UnstorableWidgetError extends Error {
  override readonly name = "UnstorableWidgetError";
}
