import { Button, formatYen, NotificationBanner, StatusTag, SummaryList } from '@madoguchi/ui';
import type { MessageKey } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';
import { ContactDetails, PortalPage } from '../shared/portal-page';

export interface ProcedureGuide {
  code: string;
  name: string;
  description: string | null;
  identity: 'none' | 'account' | 'myNumberCardSignature' | 'inPerson';
  fee: { rule: 'none' | 'fixed' | 'perCopy' | 'perSlot'; amount: number | null; afterAssessment: boolean };
  standardProcessingDays: number | null;
  channels: Array<{ channel: 'online' | 'counter' | 'mail' | 'convenienceStore'; open: boolean }>;
  online: boolean;
  resultDocument: string | null;
}

function feeText(context: PageContext, fee: ProcedureGuide['fee']): string {
  const { t, lang } = context;
  if (fee.afterAssessment) return t('procedure.feeAfterAssessment');
  if (fee.rule === 'none' || !fee.amount) return t('procedure.feeNone');
  const amount = formatYen(lang, fee.amount);
  const key: Record<Exclude<ProcedureGuide['fee']['rule'], 'none'>, MessageKey> = { fixed: 'procedure.feeFixed', perCopy: 'procedure.feePerCopy', perSlot: 'procedure.feePerSlot' };
  return t(key[fee.rule], { amount });
}

function durationText(context: PageContext, days: number | null): string {
  if (days === null) return context.t('procedure.howLongUnknown');
  if (days === 0) return context.t('procedure.howLongSameDay');
  return context.t('procedure.howLongDays', { days });
}

/** The procedure guide: what, who, what you need, fee, time, channels with the counter as the alternative, and Start. */
export function ProcedureGuideView({ context, procedure }: { context: PageContext; procedure: ProcedureGuide }) {
  const { t } = context;
  const counter = procedure.channels.find((channel) => channel.channel === 'counter' && channel.open);
  const hasFee = procedure.fee.afterAssessment || (procedure.fee.rule !== 'none' && Boolean(procedure.fee.amount));
  return (
    <PortalPage context={context} title={procedure.name} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: procedure.name }]}>
      <h1>{procedure.name}</h1>
      {procedure.online ? (
        <p>
          <StatusTag tone="success">{t('tag.onlineNow')}</StatusTag>
        </p>
      ) : (
        <NotificationBanner>{t('procedure.notOnline')}</NotificationBanner>
      )}
      <h2>{t('procedure.whatItIs')}</h2>
      {procedure.description ? <p>{procedure.description}</p> : null}
      <h2>{t('procedure.whoCanApply')}</h2>
      <p>{t('procedure.whoCanApplyText', { city: context.city })}</p>
      <h2>{t('procedure.whatYouNeed')}</h2>
      <ul>
        <li>{t(`procedure.identity.${procedure.identity}`)}</li>
        <li>{t('procedure.documentsNote')}</li>
      </ul>
      <SummaryList
        rows={[
          { key: t('procedure.feeHeading'), value: <>{feeText(context, procedure.fee)}{hasFee ? <> {t('procedure.payMethods')}</> : null}</> },
          { key: t('procedure.howLong'), value: durationText(context, procedure.standardProcessingDays) },
          ...(procedure.resultDocument ? [{ key: t('procedure.resultDocument'), value: procedure.resultDocument }] : []),
        ]}
      />
      <h2>{t('procedure.channels')}</h2>
      <ul class="mg-channels">
        {procedure.channels.map((channel) => (
          <li>
            <StatusTag tone={channel.open ? 'info' : 'neutral'}>
              {t(`procedure.channel.${channel.channel}`)}: {t(channel.open ? 'procedure.channelOpen' : 'procedure.channelPlanned')}
            </StatusTag>
          </li>
        ))}
      </ul>
      {procedure.online ? (
        <p>
          <Button href={`/apply/${encodeURIComponent(procedure.code)}`} start>
            {t('procedure.start')}
          </Button>
        </p>
      ) : null}
      {counter ? (
        <section aria-labelledby="counter">
          <h2 id="counter">{t('procedure.counterAlternative')}</h2>
          <ContactDetails context={context} />
        </section>
      ) : null}
    </PortalPage>
  );
}
