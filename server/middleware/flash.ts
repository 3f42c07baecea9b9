import type { Request } from 'express';

export interface FlashMessage {
  type: 'success' | 'error' | 'info';
  key: string;
  params?: Record<string, string | number>;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

/** Queues a message for the next page (Post/Redirect/Get); the locals middleware shows and clears it. */
export function flash(req: Request, type: FlashMessage['type'], key: string, params?: FlashMessage['params']): void {
  req.session.flash = [...(req.session.flash ?? []), { type, key, ...(params ? { params } : {}) }];
}

export function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}
