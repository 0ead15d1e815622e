// Guest-side JavaScript evaluated once in a fresh context, before any user code: it captures the
// pristine builtins so converting guest values never runs guest getters, toJSON or redefined globals.

import {
  captureBuiltins,
  createDescribers,
  createPropertyReads,
  createToJson,
  hostHelpers,
  installHostFunctions,
  installPrint,
} from './guest/bootstrap.ts'

/**
 * Evaluates to a function `(rawPrint, rawRoom, rawCall, functionNames) => helpers`. The helpers object is
 * kept by the worker only; nothing here is reachable from guest globals except print/console and
 * the host-function wrappers. The parts are guest functions in ./guest/bootstrap.ts, shipped as
 * their source text (see the comment there); captureBuiltins runs first, so every capture happens
 * before anything else of the guest's.
 */
export const guestBootstrapSource = `(function (rawPrint, rawRoom, rawCall, functionNames) {
  'use strict';
  const builtins = (${captureBuiltins.toString()})();
  const reads = (${createPropertyReads.toString()})(builtins);
  const toJson = (${createToJson.toString()})(builtins, reads);
  const text = (${createDescribers.toString()})(builtins, reads, toJson);
  (${installPrint.toString()})(builtins, text.format, rawPrint, rawRoom);
  (${installHostFunctions.toString()})(builtins, toJson, rawCall, functionNames);
  return (${hostHelpers.toString()})(builtins, toJson, text.describeError);
})`
