import type { OpenAPIObject } from '@nestjs/swagger';

/** Parts of an OpenAPI document, named (@nestjs/swagger exports only the whole). */
export type OperationObject = NonNullable<OpenAPIObject['paths'][string]['post']>;
export type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;
