import type { OfficeContext } from '../shared/office-context';
import { OfficePage } from '../shared/office-page';

/** The administration pages, as links: one place to start from. */
export const ADMIN_SECTIONS = [
  { href: '/office/admin/staff', key: 'office.nav.adminStaff' },
  { href: '/office/admin/departments', key: 'office.admin.departments.title' },
  { href: '/office/admin/counters', key: 'office.admin.counters.title' },
  { href: '/office/admin/facilities', key: 'office.admin.facilities.title' },
  { href: '/office/admin/audit', key: 'office.nav.adminAudit' },
  { href: '/office/admin/jpki', key: 'office.nav.adminJpki' },
  { href: '/office/admin/kpis', key: 'office.nav.adminKpis' },
  { href: '/office/admin/procedures', key: 'office.nav.adminProcedures' },
] as const;

/** Breadcrumbs of an administration page: the menu, then the given trail. */
export function adminCrumbs(context: OfficeContext, trail: Array<{ label: string; href?: string }>) {
  return [{ label: context.t('office.admin.title'), href: '/office/admin' }, ...trail];
}

export function AdminHomeView({ context }: { context: OfficeContext }) {
  const { t } = context;
  return (
    <OfficePage context={context} title={t('office.admin.title')}>
      <h1>{t('office.admin.title')}</h1>
      <ul>
        {ADMIN_SECTIONS.map((section) => (
          <li>
            <a href={section.href}>{t(section.key)}</a>
          </li>
        ))}
      </ul>
    </OfficePage>
  );
}
