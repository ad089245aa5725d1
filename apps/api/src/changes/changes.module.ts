import { DynamicModule, Module } from '@nestjs/common';
import { ChangeFeed, DATABASE_URL } from './change-feed';

/** The change feed every instance listens to; global, since custody publishes and the tenant API subscribes. */
@Module({})
export class ChangesModule {
  static register(databaseUrl: string): DynamicModule {
    return {
      module: ChangesModule,
      global: true,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, ChangeFeed],
      exports: [ChangeFeed],
    };
  }
}
