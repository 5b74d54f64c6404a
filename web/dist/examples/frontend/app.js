"use strict";(()=>{var g={query:`# The ICSs (ICBs) open on a date, for the picker, and the dates the data covers.
query IcbList($asOf: Date) {
  release {
    dataFrom
    dataTo
  }
  integratedCareSystems(first: 100, asOf: $asOf, orderBy: { field: NAME }) {
    totalCount
    edges {
      node {
        code
        name
      }
    }
  }
}
`,hash:"31c762cb63f40156c3589e7d288f4699ba196a60461853995f3872472ca9a9ff"};var y={query:`# One ICS (ICB) as of a date: the NHS trusts in it and the councils that
# overlap it, with the share of each council's population inside it.
query IcbOrganisations($code: String!, $asOf: Date) {
  integratedCareSystem(code: $code, asOf: $asOf) {
    code
    name
    validFrom
    validTo
    trusts {
      code
      name
      trustType
      foundationTrust
    }
    councils {
      shareOfCouncil
      council {
        code
        name
      }
    }
  }
}
`,hash:"cd66cafb0a10d7a540334bd982b7a286cc9123ad7e8ff6f9f1daaa2bbea8f8a3"};var d=class extends Error{constructor(e,a){super(e);this.code=a}code};async function b(t,n,e){let a={variables:n,extensions:{persistedQuery:{version:1,sha256Hash:t.hash}}};return e&&(a.query=t.query),(await fetch("/graphql",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/graphql-response+json, application/json"},body:JSON.stringify(a)})).json()}async function $(t,n){let e=await b(t,n,!1);if(e.errors?.some(a=>a.extensions?.code==="PERSISTED_QUERY_NOT_FOUND")&&(e=await b(t,n,!0)),e.errors?.length)throw new d(e.errors[0].message,e.errors[0].extensions?.code);if(!e.data)throw new d("the answer has no data",void 0);return e.data}var i=t=>document.getElementById(t);function C(t,n){let e=document.createElement(t);return e.textContent=n,e}function E(t,n){let e=document.createElement("table"),a=document.createElement("tr");a.append(...t.map(r=>C("th",r))),e.append(a);for(let r of n){let o=document.createElement("tr");o.append(...r.map(c=>C("td",c))),e.append(o)}return e}async function T(t){let n=await $(g,{asOf:t}),e=i("icb"),a=e.value;e.replaceChildren(...n.integratedCareSystems.edges.map(({node:o})=>{let c=document.createElement("option");return c.value=o.code,c.textContent=`${o.name} (${o.code})`,c}));let r=new URLSearchParams(location.search).get("icb")||a;return r&&n.integratedCareSystems.edges.some(({node:o})=>o.code===r)&&(e.value=r),n}async function u(){let t=i("icb").value,n=i("asof").value||null,e=i("result");e.textContent="Loading\u2026";try{let{integratedCareSystem:a}=await $(y,{code:t,asOf:n});if(!a){e.textContent=`${t} is not an ICS on ${n}.`;return}let r=document.createElement("h2");r.textContent=`${a.name} (${a.code}) on ${n}`;let o=[...a.trusts].sort((s,l)=>s.name.localeCompare(l.name)),c=[...a.councils].sort((s,l)=>s.council.name.localeCompare(l.council.name)),m=E(["Trust","Code","Type","Foundation trust"],o.map(s=>[s.name,s.code,s.trustType,s.foundationTrust?"yes":"no"]));m.id="trusts";let h=E(["Council","Code","Share of the council in this ICB"],c.map(s=>[s.council.name,s.council.code,`${(100*s.shareOfCouncil).toFixed(1)}%`]));h.id="councils";let p=document.createElement("h3");p.textContent=`${o.length} trusts`;let f=document.createElement("h3");f.textContent=`${c.length} councils`,e.replaceChildren(r,p,m,f,h),document.body.dataset.shown=`${a.code} ${n} ${o.length} ${c.length}`,history.replaceState(null,"",`?icb=${encodeURIComponent(a.code)}&asOf=${n}`)}catch(a){e.textContent=`Could not load ${t}: ${a.message}`,e.className="error"}}async function O(){let t=i("asof"),n=new URLSearchParams(location.search).get("asOf"),e=await T(n);t.min=e.release.dataFrom,t.max=e.release.dataTo,t.value=n||e.release.dataTo,t.addEventListener("change",async()=>{await T(t.value||null),await u()}),i("icb").addEventListener("change",u),await u()}O().catch(t=>{i("result").textContent=`Could not start: ${t.message}`});})();
