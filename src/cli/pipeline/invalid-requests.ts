/**
 * Bad requests the pipeline mixes in to show how they are set aside, modelled
 * on the course's three bad samples (an SQS message cannot be empty, so the
 * empty file becomes a cut-off JSON document).
 */
export const INVALID_REQUESTS: readonly string[] = [
  '{"type":"bad","requestId":"9902be6e-fe18-46e3-83eb-f49aa5420536","widgetId":"d2d540b0-5999-4d43-8f09-b8f528a0f032","owner":"Sue Smith"}',
  '{"type":"create","requestId":"0f5c0a34-1b6f-4d33-9f39-0d4cbbd1c7a2","widgetId":"bad","label":"NO OWNER"}',
  '{"type":"update","requestId":"5a1e',
];
