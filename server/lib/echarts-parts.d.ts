// ECharts's side-effect entry points (each registers one part with echarts/core); they ship no types of their own.
declare module 'echarts/lib/chart/bar';
declare module 'echarts/lib/component/gridSimple';
declare module 'echarts/lib/component/legendPlain';
declare module 'echarts/lib/chart/sankey';
declare module 'echarts/lib/chart/scatter';
