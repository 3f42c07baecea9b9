import type { FieldErrors } from './validation.ts';

/**
 * Typed errors thrown by services. They carry an i18n message key, never an HTTP status of their
 * own choosing beyond the class: the error handler maps classes to responses.
 */
export class AppError extends Error {
  readonly status: number = 500;
  /**
   * Whether the error records where it was raised. A refusal (4xx) is an answer, not a fault: no
   * stack is captured for it, which made up an eighth of a scorecard page's time, whose policy
   * weighs some forty refusals per view (issue 9's profile). Server faults (5xx) keep theirs.
   */
  static readonly keepsStack: boolean = true;
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    const limit = Error.stackTraceLimit;
    if (!new.target.keepsStack) Error.stackTraceLimit = 0;
    try {
      super(messageKey);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
  }
}

/** An answer to a request that cannot be granted (4xx): no stack (see AppError.keepsStack). */
class Refusal extends AppError {
  static override readonly keepsStack: boolean = false;
}

export class NotFoundError extends Refusal {
  override readonly status = 404;
  constructor(messageKey = 'errors.notFound.body') {
    super(messageKey);
  }
}

export class ForbiddenError extends Refusal {
  override readonly status = 403;
  constructor(messageKey = 'errors.forbidden.body') {
    super(messageKey);
  }
}

/** Field-level problems found by a service (after zod), keyed by form field. */
export class ValidationError extends Refusal {
  override readonly status = 422;
  constructor(readonly fields: FieldErrors) {
    super('validation.failed');
  }
}

export class ConflictError extends Refusal {
  override readonly status = 409;
}

/**
 * The service cannot answer now but may shortly (PDF printer busy or missing, database full or
 * read-only): 503 with a Retry-After of `retryAfter` seconds.
 */
export class ServiceUnavailableError extends AppError {
  override readonly status = 503;
  constructor(
    messageKey = 'errors.unavailable.body',
    readonly retryAfter = 30,
  ) {
    super(messageKey);
  }
}

/** No credentials, or credentials that are not (or no longer) good: the read API's 401. */
export class UnauthorizedError extends Refusal {
  override readonly status = 401;
  constructor(messageKey = 'api.error.unauthorized') {
    super(messageKey);
  }
}

/** Too many requests in a window: 429 with a Retry-After of `retryAfter` seconds. */
export class TooManyRequestsError extends Refusal {
  override readonly status = 429;
  constructor(
    messageKey = 'api.error.rateLimited',
    readonly retryAfter = 60,
  ) {
    super(messageKey);
  }
}

/** A request no form of the app would send (a missing or malformed hidden field). */
export class BadRequestError extends Refusal {
  override readonly status = 400;
  constructor(messageKey = 'errors.badRequest.body') {
    super(messageKey);
  }
}

/** A plausibility warning: an i18n key and its parameters; `money` names the parameters that are fen. */
export interface Warning {
  key: string;
  params: Record<string, string | number>;
  money?: readonly string[];
}

/**
 * Values that are allowed but implausible (a disbursement above its commitment …): nothing is
 * saved until the user confirms them. A form answers with the warnings and a "yes, this is right"
 * button (middleware/forms.ts); anything else is refused with 422.
 */
export class NeedsConfirmationError extends Refusal {
  override readonly status = 422;
  constructor(readonly warnings: readonly Warning[]) {
    super('warnings.needConfirmation');
  }
}
