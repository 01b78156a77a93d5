/** Types of native_layout.js: the control block shared by native_pool.ts and native_worker.js. */
export declare const SEQ: number;
export declare const NEXT: number;
export declare const FINISHED: number;
export declare const FN: number;
export declare const NARGS: number;
export declare const NCHUNKS: number;
export declare const READY: number;
export declare const ERROR: number;
export declare const ARGS_BYTE_OFFSET: number;
export declare const GEN_SHIFT: number;
export declare const INDEX_MASK: number;
export declare const GEN_MASK: number;
