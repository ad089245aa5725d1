import { CreateOrganizations1763900000000 } from './1763900000000-CreateOrganizations';
import { CreateIdentityAndAudit1763900100000 } from './1763900100000-CreateIdentityAndAudit';
import { AddTotp1763900200000 } from './1763900200000-AddTotp';
import { CreateCustody1763900300000 } from './1763900300000-CreateCustody';
import { CreateApiKeys1763900400000 } from './1763900400000-CreateApiKeys';
import { CreateUsage1763900500000 } from './1763900500000-CreateUsage';
import { KeyAuditChain1764400100000 } from './1764400100000-KeyAuditChain';
import { HashRecoveryCodesWithArgon21764400200000 } from './1764400200000-HashRecoveryCodesWithArgon2';
import { SearchAcrossTenants1764400500000 } from './1764400500000-SearchAcrossTenants';
import { CreateUsageRollups1764400600000 } from './1764400600000-CreateUsageRollups';
import { CountWidgetsPerTenant1764400600001 } from './1764400600001-CountWidgetsPerTenant';
import { CreateWebhooks1764500000000 } from './1764500000000-CreateWebhooks';
import { CreateAuditStreams1764500100000 } from './1764500100000-CreateAuditStreams';
import { IndexHuggyWidgetUuid1764500200000 } from './1764500200000-IndexHuggyWidgetUuid';
import { RequestRotationOnOffboarding1764500300000 } from './1764500300000-RequestRotationOnOffboarding';
import { RollUpUsagePerTenant1764500500000 } from './1764500500000-RollUpUsagePerTenant';
import { IndexFinishedWebhookDeliveries1764500600000 } from './1764500600000-IndexFinishedWebhookDeliveries';

/** Every migration, oldest first. Listed by hand because the API ships as one bundle, not a folder to glob. */
export const MIGRATIONS = [
  CreateOrganizations1763900000000,
  CreateIdentityAndAudit1763900100000,
  AddTotp1763900200000,
  CreateCustody1763900300000,
  CreateApiKeys1763900400000,
  CreateUsage1763900500000,
  KeyAuditChain1764400100000,
  HashRecoveryCodesWithArgon21764400200000,
  SearchAcrossTenants1764400500000,
  CreateUsageRollups1764400600000,
  CountWidgetsPerTenant1764400600001,
  CreateWebhooks1764500000000,
  CreateAuditStreams1764500100000,
  IndexHuggyWidgetUuid1764500200000,
  RequestRotationOnOffboarding1764500300000,
  RollUpUsagePerTenant1764500500000,
  IndexFinishedWebhookDeliveries1764500600000,
];
