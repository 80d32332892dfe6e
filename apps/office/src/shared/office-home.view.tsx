import type { OfficeContext } from './office-context';
import { DASHBOARD_ROLES, OfficePage } from './office-page';

/** Staff without case work (managers, administrators, accountants): the pages their roles open, as links. */
export function OfficeHomeView({ context }: { context: OfficeContext }) {
  const { t } = context;
  const title = t('office.serviceName', { city: context.city });
  const roles = context.staff?.roles ?? [];
  const links = [
    ...(roles.some((role) => DASHBOARD_ROLES.includes(role)) ? [{ href: '/office/dashboard', label: t('office.nav.dashboard') }] : []),
    ...(roles.includes('administrator') ? [{ href: '/office/admin', label: t('office.nav.admin') }, { href: '/office/admin/kpis', label: t('office.nav.adminKpis') }] : []),
  ];
  return (
    <OfficePage context={context} title={title}>
      <h1>{title}</h1>
      <p>{t('office.signIn.lead')}</p>
      {links.length > 0 ? (
        <nav aria-labelledby="home-menu-title">
          <h2 id="home-menu-title">{t('office.home.menu')}</h2>
          <ul>
            {links.map((link) => (
              <li>
                <a href={link.href}>{link.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </OfficePage>
  );
}
