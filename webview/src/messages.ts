/**
 * Messages between the extension host and the side panel, one discriminated union per direction, checked
 * on both ends. The panel itself (built with @vscode-elements/elements) is the subject of the extension
 * issue; the shapes below are what the core already produces.
 */

export interface PanelQuestion {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly status: 'answered' | 'partial' | 'missing' | 'declined';
  readonly parts: readonly { readonly id: string; readonly status: 'answered' | 'missing' | 'declined' }[];
}

export type HostToPanel =
  | { readonly type: 'exam'; readonly path: string; readonly pack: string | null; readonly points: { max: number; attainable: number } | null; readonly questions: readonly PanelQuestion[] }
  | { readonly type: 'clear' };

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly cell: number; readonly line: number };

export function isPanelToHost(v: unknown): v is PanelToHost {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  if (m['type'] === 'ready') return true;
  return m['type'] === 'reveal' && Number.isInteger(m['cell']) && Number.isInteger(m['line']);
}
