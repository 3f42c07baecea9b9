import type { Request, RequestHandler } from 'express';
import { ValidationError } from '../lib/errors.ts';
import { flash } from '../middleware/flash.ts';

/**
 * The POST handler of a comment form, shared by every page that carries one: the owning domain's
 * service checks scope and policy and stores the comment; an empty or too long text comes back as
 * a message on the same page (the form is one box, so a flash is enough).
 */
export function commentHandler(post: (req: Request, body: unknown) => void, back: (req: Request) => string): RequestHandler {
  return (req, res) => {
    try {
      post(req, (req.body as Record<string, unknown> | undefined)?.body);
      flash(req, 'success', 'comments.added');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      flash(req, 'error', err.fields.body?.key === 'validation.tooLong' ? 'comments.tooLong' : 'comments.empty');
    }
    res.redirect(`${back(req)}#comments`);
  };
}
