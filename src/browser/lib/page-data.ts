// Reads the data a page's server put in <script type="application/json" id="page-data">.
export function readPageData<T>(): T {
  const element = document.getElementById("page-data");
  if (!element?.textContent) throw new Error("page-data element is missing");
  return JSON.parse(element.textContent) as T;
}
