export * from './evaluation/area-rating';
export * from './evaluation/evaluation.service';
export * from './reporting.errors';
export * from './reporting.module';
export * from './opendata/csv';
export * from './opendata/opendata.service';
