// Loaded by workerpool in each worker thread (compiled to dist/stages/fingerprint-worker.js).
import workerpool from 'workerpool';
import { fingerprintFile } from './fingerprint-file.js';

workerpool.worker({ fingerprint: fingerprintFile });
