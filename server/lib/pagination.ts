export const PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

/** Clamps a requested page number into range; returns the offset to query with. */
export function pageWindow(requested: number | undefined, total: number, pageSize = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(requested ?? 1) || 1), pages);
  return { page, pages, pageSize, offset: (page - 1) * pageSize };
}
