import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Schemas } from './api/client.ts';
import { can, type Access } from './roles.ts';

export type Session = Schemas['ConsoleSession'];

export interface SessionContextValue {
  session: Session;
  signOut(): void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

/** Whether the signed-in key's role may do what a route needs: controls the API would refuse are not shown. */
export function useCan(access: Access): boolean {
  return can(useSession().session.key.role, access);
}
