export * from './office.module';
