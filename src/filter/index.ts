/**
 * Wireshark's display-filter language (tshark 4.0's `-Y`), over every field of every layer
 * the registry knows. Compile a filter once, then per frame: `collector.reset(frame)`,
 * dissect with the collector as the field writer, `collector.test()`.
 */
export { compileFilter, compileFilterOrThrow, type CompiledFilter } from './compile.js';
export { FilterCollector } from './collector.js';
export { filterErrorLines, filterErrorReport, isFilterError, type FilterError } from './errors.js';
export { allNames, lookupName, type FieldRef, type FilterType } from './names.js';
export { FrameValues, ValueList } from './values.js';
