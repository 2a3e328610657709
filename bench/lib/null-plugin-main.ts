/** Bundle entry of the benchmark-only do-nothing plugin (see null-provider.ts). */
import { serveProvider } from '../../src/provider/plugin';
import { nullProvider } from './null-provider';

void serveProvider(nullProvider);
