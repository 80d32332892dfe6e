import type { FormPagesProcedure } from '@madoguchi/applications';
import { type CheckAnswersSection, type FormProcedure, formProcedureOf, type SchemaFormProblem, toCheckSections as checkSections, toMissing as missing } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';

export { maskedByName, toFieldErrors } from '@madoguchi/ui';

export const toFormProcedure = (procedure: FormPagesProcedure): FormProcedure => formProcedureOf(procedure);

const formHref = (applicationId: string) => (section: number) => `/applications/${applicationId}/form/${section}`;

/** Check your answers on the portal: change links to the resident's own form pages. */
export function toCheckSections(context: PageContext, applicationId: string, procedure: FormProcedure, answers: Record<string, unknown>): CheckAnswersSection[] {
  return checkSections(context, formHref(applicationId), procedure, answers);
}

/** What the whole form still lacks, each linking to its field on the resident's form page. */
export function toMissing(context: PageContext, applicationId: string, procedure: FormProcedure, problems: SchemaFormProblem[]): Array<{ href: string; message: string }> {
  return missing(context, formHref(applicationId), procedure, problems);
}
