import { InitialSchema1795377694245 } from './1795377694245-InitialSchema';
import { AuditLog1795380000000 } from './1795380000000-AuditLog';
import { Identity1795380100000 } from './1795380100000-Identity';
import { Submission1795390100000 } from './1795390100000-Submission';
import { Notifications1795400100000 } from './1795400100000-Notifications';

/** Every migration, in order. New ones are appended; landed ones never change. */
export const MIGRATIONS = [InitialSchema1795377694245, AuditLog1795380000000, Identity1795380100000, Submission1795390100000, Notifications1795400100000];
