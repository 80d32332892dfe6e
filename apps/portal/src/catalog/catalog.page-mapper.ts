import type { Lang } from '@madoguchi/ui';
import type { ProcedureGuide } from './procedure-guide.view';
import type { HomeProcedure } from './home.view';

interface Localized {
  ja: string;
  en: string;
}

/** Catalog text in the page language; やさしい日本語 reads the Japanese until the catalog carries ja-easy variants. */
export function localized(lang: Lang, text: Localized): string {
  return lang === 'en' ? text.en : text.ja;
}

/** The fields of a catalog summary the home page shows, listed. */
export function toHomeProcedure(lang: Lang, summary: { code: string; name: Localized; category: string; online: boolean }): HomeProcedure {
  return { code: summary.code, name: localized(lang, summary.name), category: summary.category, online: summary.online };
}

export function toProcedureGuide(
  lang: Lang,
  detail: {
    code: string;
    name: Localized;
    description?: Localized;
    identity: string;
    fee: { rule: string; amount?: number; timing?: string };
    standardProcessingDays?: number;
    channels: Array<{ channel: string; open: boolean }>;
    online: boolean;
    document: { name: Localized } | null;
  },
): ProcedureGuide {
  return {
    code: detail.code,
    name: localized(lang, detail.name),
    description: detail.description ? localized(lang, detail.description) : null,
    identity: detail.identity as ProcedureGuide['identity'],
    fee: { rule: detail.fee.rule as ProcedureGuide['fee']['rule'], amount: detail.fee.amount ?? null, afterAssessment: detail.fee.timing === 'afterAssessment' },
    standardProcessingDays: detail.standardProcessingDays ?? null,
    channels: detail.channels.map((channel) => ({ channel: channel.channel as ProcedureGuide['channels'][number]['channel'], open: channel.open })),
    online: detail.online,
    resultDocument: detail.document ? localized(lang, detail.document.name) : null,
  };
}
