import type { InviteLang } from '../web-diary-store.js';
import { type Messages, en } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Messages };
export const LANGS: readonly InviteLang[] = ['en', 'zh-CN'];

/** The message file for an invite's language. */
export function messagesFor(lang: InviteLang): Messages {
  return lang === 'zh-CN' ? zhCN : en;
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
