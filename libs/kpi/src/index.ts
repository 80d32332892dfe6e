export * from './online-procedure-kpi';
export * from './kpi.service';
export * from './kpi.module';
