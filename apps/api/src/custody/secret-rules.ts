import { secretProblem } from '@keyring/contracts';
import type { ValidationOptions } from 'class-validator';
import { ValidatesWith } from '../common/validation/validates-with';

/** The widget-secret rule of libs/contracts (shared with the console's paste step), as a class-validator decorator. */
export const IsWidgetSecret = (options?: ValidationOptions) => ValidatesWith('isWidgetSecret', secretProblem, options);
