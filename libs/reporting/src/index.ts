export * from './evaluation/area-rating';
export * from './evaluation/evaluation.service';
export * from './reporting.errors';
export * from './reporting.module';
