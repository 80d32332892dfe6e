import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DEFAULT_LANG, type Lang, type Translate, translator } from './i18n/i18n';

/** What every component may read while a page renders: the page language and its translator. */
export interface UiContextValue {
  lang: Lang;
  t: Translate;
}

export const UiContext = createContext<UiContextValue>({ lang: DEFAULT_LANG, t: translator(DEFAULT_LANG) });

export function useUi(): UiContextValue {
  return useContext(UiContext);
}
