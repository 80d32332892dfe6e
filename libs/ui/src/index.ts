/**
 * @madoguchi/ui — the design system as typed server-side components.
 * It knows nothing of procedures, applications or residents: pages in
 * apps/ pass it words and links. See README.md.
 */
export * from './context';
export * from './i18n/i18n';
export * from './render/render-document';
export * from './assets/portal-assets';
export * from './assets/office-enhance';
export * from './assets/counter-assets';
export * from './assets/reporting-styles';
export * from './assets/lobby-enhance';
export * from './layout/page-layout';
export * from './form/form-group';
export * from './form/text-input';
export * from './form/textarea';
export * from './form/select';
export * from './form/choices';
export * from './form/date-input';
export * from './form/file-upload';
export * from './form/schema-form-model';
export * from './form/schema-form-fields';
export * from './form/schema-form-answers';
export * from './components/button';
export * from './components/breadcrumbs';
export * from './components/error-summary';
export * from './components/notification-banner';
export * from './components/summary-list';
export * from './components/step-indicator';
export * from './components/table';
export * from './components/pagination';
export * from './components/status-tag';
export * from './components/timeline';
