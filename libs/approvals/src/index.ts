export * from './approvals.module';
export * from './approval-decisions.service';
export * from './approval-route';
export * from './approval-chain';
export * from './approval.errors';
export * from './dto/approval.dto';
export * from './delegations.service';
