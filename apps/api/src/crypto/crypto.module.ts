import { DynamicModule, Module } from '@nestjs/common';
import { Envelope } from './envelope';
import { MASTER_KEYS, type MasterKeys } from './master-keys';

/** The master keys of this process and the envelope that uses them; global, like the configuration. */
@Module({})
export class CryptoModule {
  static register(keys: MasterKeys): DynamicModule {
    return {
      module: CryptoModule,
      global: true,
      providers: [{ provide: MASTER_KEYS, useValue: keys }, Envelope],
      exports: [MASTER_KEYS, Envelope],
    };
  }
}
