import type { PagedList } from '../hooks/use-paged-list.ts';

/** Previous / next over the API's cursors; hidden when everything fits on one page. */
export function Pager<T>({ list, label }: { list: PagedList<T>; label: string }) {
  if (!list.hasPrevious && !list.hasNext) return null;
  return (
    <nav class="pager" aria-label={`Pages of ${label}`}>
      <button type="button" onClick={list.previous} disabled={!list.hasPrevious}>
        Previous page
      </button>
      <span aria-live="polite">Page {list.pageNumber}</span>
      <button type="button" onClick={list.next} disabled={!list.hasNext}>
        Next page
      </button>
    </nav>
  );
}
