import type { ComponentChildren } from 'preact';
import { useUi } from '../context';

export interface TableColumn {
  key: string;
  label: string;
  numeric?: boolean;
  /** A sortable column: links that reload the page sorted (works without JavaScript). */
  sort?: { state: 'ascending' | 'descending' | 'none'; ascendingHref: string; descendingHref: string };
}

export interface TableProps {
  caption: string;
  columns: TableColumn[];
  rows: Array<Record<string, ComponentChildren>>;
  /** The column whose cell names the row (a row header, th scope=row). */
  rowHeader?: string;
  /** Show the caption visually as a heading-sized title; it is always read. */
  captionSize?: 'm' | 'hidden';
}

/** A real data table: caption, column headers with scope, optional row headers and sort links. */
export function Table(props: TableProps) {
  const { t } = useUi();
  return (
    <div class="mg-table-wrap">
      <table class="mg-table">
        <caption class={props.captionSize === 'hidden' ? 'mg-visually-hidden' : 'mg-table__caption'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => {
              const sort = column.sort;
              const next = sort?.state === 'ascending' ? 'descending' : 'ascending';
              return (
                <th scope="col" class={column.numeric ? 'mg-table__header mg-table__header--numeric' : 'mg-table__header'} aria-sort={sort ? sort.state : undefined}>
                  {sort ? (
                    <a class="mg-link" href={next === 'ascending' ? sort.ascendingHref : sort.descendingHref}>
                      {column.label}
                      <span class="mg-visually-hidden"> {t(next === 'ascending' ? 'table.sortAscending' : 'table.sortDescending')}</span>
                      {sort.state !== 'none' ? (
                        <span class="mg-table__sort" aria-hidden="true">
                          {sort.state === 'ascending' ? ' ▲' : ' ▼'}
                        </span>
                      ) : null}
                    </a>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              {props.columns.map((column) =>
                column.key === props.rowHeader ? (
                  <th scope="row" class="mg-table__cell">
                    {row[column.key]}
                  </th>
                ) : (
                  <td class={column.numeric ? 'mg-table__cell mg-table__cell--numeric' : 'mg-table__cell'}>{row[column.key]}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
