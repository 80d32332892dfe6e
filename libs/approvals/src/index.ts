export * from './approvals.module';
