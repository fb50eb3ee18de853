import type { FastifyReply } from 'fastify';

/** Every error the API answers with, as `{ error: <code>, message }`. */
export type ApiErrorCode =
  | 'bad-json'
  | 'invalid-request'
  | 'unsupported-media-type'
  | 'body-too-large'
  | 'not-found'
  | 'invalid-code'
  | 'code-used'
  | 'user-blocked'
  | 'wechat-rate-limited'
  | 'wechat-busy'
  | 'wechat-unavailable'
  | 'wechat-error'
  | 'im-unavailable'
  | 'im-error'
  | 'session-expired'
  | 'rate-limited'
  | 'forbidden'
  | 'not-ready'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  'bad-json': 400,
  'invalid-request': 400,
  'unsupported-media-type': 415,
  'body-too-large': 413,
  'not-found': 404,
  'invalid-code': 400,
  'code-used': 400,
  'user-blocked': 403,
  'wechat-rate-limited': 429,
  'wechat-busy': 503,
  'wechat-unavailable': 502,
  'wechat-error': 502,
  'im-unavailable': 502,
  'im-error': 502,
  'session-expired': 401,
  'rate-limited': 429,
  forbidden: 403,
  'not-ready': 503,
  internal: 500,
};

/** An error on its way to the client. `message` is shown to people: no secrets, no codes. */
export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Seconds, sent as Retry-After on 429/503. */
  retryAfter?: number;
}

export const apiError = (code: ApiErrorCode, message: string, retryAfter?: number): ApiError =>
  retryAfter === undefined ? { code, message } : { code, message, retryAfter };

/** HTTP status for an error code. */
export function statusOf(code: ApiErrorCode): number {
  return STATUS[code];
}

/** Writes the error as JSON with its status (and Retry-After when given). */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  return reply.code(STATUS[error.code]).send({ error: error.code, message: error.message });
}

/**
 * Maps an error thrown inside fastify (parser, validation, limits, plugins) to an API error.
 * Anything not recognised becomes `internal` (the caller logs it).
 */
export function fromFrameworkError(error: unknown): ApiError {
  const record =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : '';
  const status = typeof record.statusCode === 'number' ? record.statusCode : 500;
  if (record.validation !== undefined) {
    const text = typeof record.message === 'string' ? record.message : 'invalid request';
    return apiError('invalid-request', `Request rejected: ${text}.`);
  }
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return apiError('unsupported-media-type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('body-too-large', 'The request body is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('bad-json', 'The body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return apiError('invalid-request', 'Content-Length does not match the body.');
    default:
      break;
  }
  if (status === 429) return apiError('rate-limited', 'Too many requests, slow down.');
  // JSON.parse errors from the default parser (and prototype-poisoning rejections) carry 400.
  if (
    error instanceof SyntaxError ||
    (status === 400 && /JSON|proto/i.test(String(record.message)))
  ) {
    return apiError('bad-json', 'The body is not valid JSON.');
  }
  if (status === 413) return apiError('body-too-large', 'The request body is too large.');
  if (status === 415)
    return apiError('unsupported-media-type', 'Send the body as application/json.');
  if (status >= 400 && status < 500)
    return apiError('invalid-request', 'The request is malformed.');
  return apiError('internal', 'Something went wrong on our side.');
}
