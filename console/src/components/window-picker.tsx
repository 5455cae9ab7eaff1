export const WINDOWS = ['24h', '7d', '30d', '90d'] as const;

/** The trailing window W of KPIs and reports. */
export function WindowPicker({ value, onChange, id }: { value: string; onChange: (window: string) => void; id: string }) {
  return (
    <div class="field inline">
      <label for={id}>Window</label>
      <select id={id} value={value} onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value)}>
        {WINDOWS.map((window) => (
          <option value={window}>{window}</option>
        ))}
      </select>
    </div>
  );
}
