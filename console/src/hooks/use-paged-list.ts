import { useState } from 'preact/hooks';
import { useResource, type Resource } from './use-resource.ts';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PagedList<T> {
  resource: Resource<Page<T>>;
  /** 1-based. */
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  next(): void;
  previous(): void;
  reload(): void;
}

/**
 * A long list read page by page with the API's cursors (`?cursor=` ← `next_cursor`). The cursors of the pages
 * already seen are kept, so Previous goes back without the API having to page backwards. A change of the inputs
 * (filters) starts again from the first page.
 */
export function usePagedList<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, deps: readonly unknown[]): PagedList<T> {
  // The cursors belong to the inputs they were read with: other inputs start from the first page at once (a cursor
  // is only meaningful for the query that produced it).
  const inputs = JSON.stringify(deps);
  const [pages, setPages] = useState<{ inputs: string; cursors: Array<string | undefined> }>({ inputs, cursors: [undefined] });
  const cursors = pages.inputs === inputs ? pages.cursors : [undefined];
  const setCursors = (next: Array<string | undefined>) => setPages({ inputs, cursors: next });
  const cursor = cursors[cursors.length - 1];
  const [resource, reload] = useResource(() => fetchPage(cursor), [...deps, cursor]);
  const nextCursor = resource.status === 'ready' ? resource.data.next_cursor : null;
  return {
    resource,
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: nextCursor !== null,
    next: () => {
      if (nextCursor !== null) setCursors([...cursors, nextCursor]);
    },
    previous: () => {
      if (cursors.length > 1) setCursors(cursors.slice(0, -1));
    },
    reload,
  };
}
