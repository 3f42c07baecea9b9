import { notifyOf, viaForm, type RouteWorld, type Submission } from './routes.support.ts';

type Example = (w: RouteWorld) => Promise<Submission>;

/** 江苏's office opens one of its notifications (a fresh unread one each time), or marks all read. */
export const NOTIFICATION_EXAMPLES: Record<string, Example> = {
  'POST /notifications/:nid/open': (w) => {
    const id = notifyOf(w.db, w.users.jiangsu.id);
    return viaForm(w, 'jiangsu', '/notifications', `/notifications/${id}/open`);
  },
  'POST /notifications/read-all': (w) => {
    notifyOf(w.db, w.users.jiangsu.id);
    return viaForm(w, 'jiangsu', '/notifications', '/notifications/read-all');
  },
};
