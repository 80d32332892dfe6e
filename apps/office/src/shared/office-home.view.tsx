import type { OfficeContext } from './office-context';
import { OfficePage } from './office-page';

/** Staff without case work (managers, administrators, accountants): their pages come with later work; the header menu lists what exists. */
export function OfficeHomeView({ context }: { context: OfficeContext }) {
  const title = context.t('office.serviceName', { city: context.city });
  return (
    <OfficePage context={context} title={title}>
      <h1>{title}</h1>
      <p>{context.t('office.signIn.lead')}</p>
    </OfficePage>
  );
}
