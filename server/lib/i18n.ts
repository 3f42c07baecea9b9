import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export const locales = { 'zh-CN': zhCN, en } as const;
export type Locale = keyof typeof locales;
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(locales, value);
}

/**
 * Returns a translator for one locale. Missing keys fall back to zh-CN and then to the key itself,
 * so a forgotten translation shows up on screen rather than as an empty string.
 */
export function translator(locale: Locale): Translate {
  const dict: Record<string, string> = locales[locale];
  const fallback: Record<string, string> = locales[DEFAULT_LOCALE];
  return (key, params) => {
    const template = dict[key] ?? fallback[key] ?? key;
    // most labels have no placeholder: no pattern to run (a page asks for a hundred labels or more)
    if (params === undefined || !template.includes('{')) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}
