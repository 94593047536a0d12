/** Reading the dashboard store from components; re-renders happen at most once per store frame. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { DashboardStore } from '../data/dashboard-store.js';
import type { DashboardState } from '../data/state.js';

export const StoreContext = createContext<DashboardStore | undefined>(undefined);

export function useStore(): DashboardStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore needs a StoreContext provider');
  return store;
}

export function useDashboardState(): DashboardState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
